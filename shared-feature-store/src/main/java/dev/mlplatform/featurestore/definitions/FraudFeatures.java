package dev.mlplatform.featurestore.definitions;

import dev.mlplatform.featurestore.registry.Entity;
import dev.mlplatform.featurestore.registry.Feature;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.featurestore.registry.ValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The fraud system's entities and feature views, declared once for the job, the service and training. */
public final class FraudFeatures {

    public static final Entity CARD = new Entity("card", "card_token", "A payment card, keyed by its HMAC token");

    /** Velocity windows, shortest first. A window ending at t covers event times in (t - length, t]. */
    public static final List<Duration> VELOCITY_WINDOWS =
            List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofHours(1));

    /** Per card: transaction count and amount sum over each velocity window, in event time. */
    public static final FeatureView CARD_VELOCITY = new FeatureView(
            "card_velocity", 1, CARD, velocityFeatures(), Duration.ofHours(1),
            "fraud-team", "Count and amount sum of a card's transactions over 1 min, 5 min and 1 h (event time)");

    private FraudFeatures() {
    }

    /** {@code tx_count_1m}, {@code tx_amount_1m}, ... for each window in {@link #VELOCITY_WINDOWS}. */
    public static String countFeature(Duration window) {
        return "tx_count_" + suffix(window);
    }

    public static String amountFeature(Duration window) {
        return "tx_amount_" + suffix(window);
    }

    private static List<Feature> velocityFeatures() {
        List<Feature> features = new ArrayList<>();
        for (Duration window : VELOCITY_WINDOWS) {
            features.add(new Feature(countFeature(window), ValueType.LONG,
                    "transactions of the card in the last " + suffix(window)));
            features.add(new Feature(amountFeature(window), ValueType.DOUBLE,
                    "amount spent with the card in the last " + suffix(window)));
        }
        return features;
    }

    private static String suffix(Duration window) {
        return window.toHours() >= 1 && window.toMinutesPart() == 0 ? window.toHours() + "h" : window.toMinutes() + "m";
    }
}
