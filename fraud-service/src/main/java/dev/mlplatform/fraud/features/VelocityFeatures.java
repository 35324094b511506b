package dev.mlplatform.fraud.features;

import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.definitions.WindowedVelocity.Tally;
import dev.mlplatform.featurestore.registry.FeatureRow;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A card's transaction count and amount sum over each velocity window of
 * {@link FraudFeatures#VELOCITY_WINDOWS} (1 min, 5 min, 1 h), the transaction being decided
 * included: a window ending at {@code t} covers event times in {@code (t - length, t]}, as
 * the card's {@link dev.mlplatform.featurestore.definitions.WindowedVelocity} (the arithmetic the Flink job runs) defines them.
 */
public record VelocityFeatures(long count1m, double amount1m, long count5m, double amount5m,
                               long count1h, double amount1h) {

    private static final List<Duration> WINDOWS = FraudFeatures.VELOCITY_WINDOWS;

    /**
     * Values as {@link dev.mlplatform.featurestore.definitions.WindowedVelocity#valuesAt} computes them (the training replay) or as an online row
     * holds them; an absent feature counts as zero.
     */
    public static VelocityFeatures of(Map<String, ?> values) {
        long[] counts = new long[WINDOWS.size()];
        double[] amounts = new double[WINDOWS.size()];
        for (int i = 0; i < WINDOWS.size(); i++) {
            counts[i] = values.get(FraudFeatures.countFeature(WINDOWS.get(i))) instanceof Number n ? n.longValue() : 0;
            amounts[i] = values.get(FraudFeatures.amountFeature(WINDOWS.get(i))) instanceof Number n ? n.doubleValue() : 0;
        }
        return new VelocityFeatures(counts[0], amounts[0], counts[1], amounts[1], counts[2], amounts[2]);
    }

    /** The transaction alone: what is known when the card's history is unavailable or empty. */
    public static VelocityFeatures ofTransactionOnly(double amount) {
        return new VelocityFeatures(1, amount, 1, amount, 1, amount);
    }

    /**
     * The online row of {@code FraudFeatures.CARD_VELOCITY} (the card's windows as of the row's event
     * time, the transaction not yet in them) advanced to the transaction at {@code time} and the
     * transaction added. A window whose whole span lies before {@code time - length} contributes
     * nothing: every event it counted is outside {@code (time - length, time]}.
     *
     * <p>A row whose event time is the transaction's own (to the millisecond, the job's resolution) was
     * written after the feature job saw this very transaction (the service and the job read the same
     * topic): it already counts the transaction, which is then not added twice.
     */
    public static VelocityFeatures at(FeatureRow row, Instant time, BigDecimal amount) {
        return of(FraudFeatures.cardVelocity().including(row, Tally.of(time, amount)));
    }

    /** The count over {@code window}, one of {@link FraudFeatures#VELOCITY_WINDOWS}. */
    public long count(Duration window) {
        return switch (WINDOWS.indexOf(window)) {
            case 0 -> count1m;
            case 1 -> count5m;
            case 2 -> count1h;
            default -> throw new IllegalArgumentException("not a velocity window: " + window);
        };
    }

    /** The amount sum over {@code window}, one of {@link FraudFeatures#VELOCITY_WINDOWS}. */
    public double amount(Duration window) {
        return switch (WINDOWS.indexOf(window)) {
            case 0 -> amount1m;
            case 1 -> amount5m;
            case 2 -> amount1h;
            default -> throw new IllegalArgumentException("not a velocity window: " + window);
        };
    }
}
