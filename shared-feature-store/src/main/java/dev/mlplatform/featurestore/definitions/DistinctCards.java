package dev.mlplatform.featurestore.definitions;

import dev.mlplatform.featurestore.registry.Feature;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.ValueType;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How many distinct cards paid at a device or a merchant over the last hour and day, free of Flink and Spring:
 * the arithmetic of {@link FraudFeatures#DEVICE_CARDS} and {@link FraudFeatures#MERCHANT_CARDS} for the
 * streaming job (one {@link CardsState} per device or merchant as keyed state), the offline replay for
 * training and the scoring service ({@link #features}). One device paying with many cards is a card-testing
 * rig or a shared terminal; a small merchant suddenly seeing many new cards is being used to test stolen ones.
 *
 * <p>A window ending at {@code t} covers {@code (t - w, t]}; the values describe the payments before the one
 * being scored (the service cannot tell whether its card is among those a merchant saw without all of them).
 * The row changes when a card pays and when a card's last payment leaves a window; the job emits a row at each
 * such instant ({@link CardsState#changeTimesOf}), so that the latest online row is exact until the next change.
 */
public final class DistinctCards {

    /** The windows, shortest first. */
    public static final List<Duration> WINDOWS = List.of(Duration.ofHours(1), Duration.ofDays(1));

    private static final long[] WINDOW_MILLIS = WINDOWS.stream().mapToLong(Duration::toMillis).toArray();
    private static final long LONGEST_MILLIS = WINDOW_MILLIS[WINDOW_MILLIS.length - 1];

    private DistinctCards() {
    }

    /** {@code cards_1h}, {@code cards_1d}. */
    static String feature(Duration window) {
        return "cards_" + FraudFeatures.suffix(window);
    }

    static List<Feature> declare(String what) {
        return WINDOWS.stream().map(window -> new Feature(feature(window), ValueType.LONG,
                "distinct cards that paid at the " + what + " in the last " + FraudFeatures.suffix(window))).toList();
    }

    /** The distinct cards in each of {@link #WINDOWS} before a payment, from the entity's latest row (null: none). */
    public static List<Long> features(FeatureRow row) {
        return WINDOWS.stream().map(window -> row == null ? 0L : (long) row.getDouble(feature(window), 0)).toList();
    }

    /** A payment as this arithmetic sees it: which card, when. */
    public record CardPayment(String card, long epochMillis) implements Serializable {
    }

    /** Every row the job emits for one entity's payments, in event-time order: for parity tests and backfills. */
    public static List<FeatureRow> replay(String entityId, Collection<CardPayment> payments) {
        List<CardPayment> sorted = new ArrayList<>(payments);
        sorted.sort(Comparator.comparingLong(CardPayment::epochMillis));
        TreeSet<Long> times = new TreeSet<>();
        sorted.forEach(payment -> Arrays.stream(CardsState.changeTimesOf(payment.epochMillis())).forEach(times::add));
        CardsState state = new CardsState();
        sorted.forEach(payment -> state.add(payment.card(), payment.epochMillis()));
        List<FeatureRow> rows = new ArrayList<>();
        times.forEach(time -> rows.add(state.rowAt(entityId, time)));
        return rows;
    }

    /**
     * The cards of one device or merchant with their payment times of the last day: the keyed state. Payments may
     * come in any order; a card counts in a window when one of its payments lies in it.
     */
    public static final class CardsState implements Serializable {

        @Serial
        private static final long serialVersionUID = 1L;

        private final Map<String, TreeSet<Long>> paymentsByCard = new HashMap<>();

        public void add(String card, long epochMillis) {
            paymentsByCard.computeIfAbsent(card, key -> new TreeSet<>()).add(epochMillis);
        }

        /** The instants a payment at {@code epochMillis} changes the row: then, and as it leaves each window. */
        public static long[] changeTimesOf(long epochMillis) {
            long[] times = new long[1 + WINDOW_MILLIS.length];
            times[0] = epochMillis;
            for (int w = 0; w < WINDOW_MILLIS.length; w++) {
                times[w + 1] = epochMillis + WINDOW_MILLIS[w];
            }
            return times;
        }

        /** The row at {@code epochMillis}: the cards with a payment in each window ending then. */
        public FeatureRow rowAt(String entityId, long epochMillis) {
            long[] counts = new long[WINDOW_MILLIS.length];
            for (TreeSet<Long> times : paymentsByCard.values()) {
                Long latest = times.floor(epochMillis);
                for (int w = 0; w < WINDOW_MILLIS.length; w++) {
                    if (latest != null && latest > epochMillis - WINDOW_MILLIS[w]) {
                        counts[w]++;
                    }
                }
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (int w = 0; w < WINDOW_MILLIS.length; w++) {
                values.put(feature(WINDOWS.get(w)), counts[w]);
            }
            return new FeatureRow(entityId, Instant.ofEpochMilli(epochMillis), values);
        }

        /** Forgets the payments past every window at {@code epochMillis}; true when nothing is left. */
        public boolean forgetBefore(long epochMillis) {
            for (Iterator<TreeSet<Long>> it = paymentsByCard.values().iterator(); it.hasNext(); ) {
                TreeSet<Long> times = it.next();
                times.headSet(epochMillis - LONGEST_MILLIS, true).clear();
                if (times.isEmpty()) {
                    it.remove();
                }
            }
            return paymentsByCard.isEmpty();
        }
    }
}
