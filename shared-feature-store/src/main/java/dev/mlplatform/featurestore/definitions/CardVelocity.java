package dev.mlplatform.featurestore.definitions;

import dev.mlplatform.featurestore.registry.FeatureRow;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The arithmetic of {@link FraudFeatures#CARD_VELOCITY}, free of Flink and Spring, so that the streaming
 * job and the offline replay for training compute the very same values (training/serving consistency).
 *
 * <p>At an instant {@code t}, the window of length {@code w} covers event times in {@code (t - w, t]}:
 * a transaction counts from its own event time on (it is part of its own velocity) and stops counting
 * exactly {@code w} later. The feature values therefore change only at a transaction's event time and
 * at that time plus each window length ({@link #changeTimes}); the job emits a row at each of these
 * instants, the replay ({@link #replay}) computes the same rows.
 *
 * <p>Times are epoch milliseconds (Flink's event-time resolution); amounts are summed in exact minor
 * units (cents), so that the order in which transactions arrive cannot change a sum in its last bit.
 */
public final class CardVelocity {

    /** After this long without a transaction every window of a card is empty. */
    public static final Duration HORIZON = FraudFeatures.VELOCITY_WINDOWS.stream()
            .max(Comparator.naturalOrder()).orElseThrow();

    private static final long[] WINDOW_MILLIS = FraudFeatures.VELOCITY_WINDOWS.stream()
            .mapToLong(Duration::toMillis).toArray();
    private static final String[] COUNT_FEATURES = FraudFeatures.VELOCITY_WINDOWS.stream()
            .map(FraudFeatures::countFeature).toArray(String[]::new);
    private static final String[] AMOUNT_FEATURES = FraudFeatures.VELOCITY_WINDOWS.stream()
            .map(FraudFeatures::amountFeature).toArray(String[]::new);
    private static final int MINOR_DIGITS = 2;

    private CardVelocity() {
    }

    /**
     * The transactions of one card at one event-time millisecond: how many and their amount in cents.
     * Several transactions in the same millisecond are indistinguishable to every window.
     */
    public record Tally(long epochMillis, long count, long amountCents) {

        public static Tally of(Instant eventTime, BigDecimal amount) {
            return new Tally(eventTime.toEpochMilli(), 1, cents(amount));
        }

        /** This tally with {@code other} (same millisecond) added. */
        public Tally plus(Tally other) {
            if (other.epochMillis != epochMillis) {
                throw new IllegalArgumentException("tallies of different instants: " + epochMillis + " and "
                        + other.epochMillis);
            }
            return new Tally(epochMillis, Math.addExact(count, other.count), Math.addExact(amountCents, other.amountCents));
        }
    }

    /** The amount in exact cents; more than two decimal places is an error, never a silent rounding. */
    public static long cents(BigDecimal amount) {
        try {
            return amount.setScale(MINOR_DIGITS, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount " + amount + " is not a whole number of cents", e);
        }
    }

    /**
     * The instants at which a transaction at {@code epochMillis} changes the card's features: its own
     * event time, and the moment it leaves each window. Ascending.
     */
    public static long[] changeTimes(long epochMillis) {
        long[] times = new long[WINDOW_MILLIS.length + 1];
        times[0] = epochMillis;
        for (int i = 0; i < WINDOW_MILLIS.length; i++) {
            times[i + 1] = epochMillis + WINDOW_MILLIS[i];
        }
        return times;
    }

    /** Whether a tally can still count in a window at {@code epochMillis} or later. */
    public static boolean stillCounts(Tally tally, long epochMillis) {
        return tally.epochMillis() > epochMillis - HORIZON.toMillis();
    }

    /**
     * The card's feature values at {@code epochMillis}: for each window, the count ({@code Long}) and the
     * amount sum ({@code Double}) of the tallies with event time in {@code (epochMillis - w, epochMillis]}.
     * Tallies outside every window are ignored, so callers may pass more than needed.
     */
    public static Map<String, Object> valuesAt(long epochMillis, Iterable<Tally> tallies) {
        long[] counts = new long[WINDOW_MILLIS.length];
        long[] cents = new long[WINDOW_MILLIS.length];
        for (Tally tally : tallies) {
            if (tally.epochMillis() > epochMillis) {
                continue;
            }
            for (int i = 0; i < WINDOW_MILLIS.length; i++) {
                if (tally.epochMillis() > epochMillis - WINDOW_MILLIS[i]) {
                    counts[i] += tally.count();
                    cents[i] += tally.amountCents();
                }
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < WINDOW_MILLIS.length; i++) {
            values.put(COUNT_FEATURES[i], counts[i]);
            // The double nearest to the exact decimal sum: the same whatever the order of addition.
            values.put(AMOUNT_FEATURES[i], BigDecimal.valueOf(cents[i], MINOR_DIGITS).doubleValue());
        }
        return values;
    }

    /** {@link #valuesAt} as the row of {@code cardToken} at {@code epochMillis}. */
    public static FeatureRow rowAt(String cardToken, long epochMillis, Iterable<Tally> tallies) {
        return new FeatureRow(cardToken, Instant.ofEpochMilli(epochMillis), valuesAt(epochMillis, tallies));
    }

    /**
     * Every row the streaming job emits for one card's complete history, in event-time order: one at
     * each distinct {@link #changeTimes change time} of its transactions. The last row of each idle
     * stretch longer than {@link #HORIZON} is all zeros. Offline training and backfills use this.
     */
    public static List<FeatureRow> replay(String cardToken, Collection<Tally> tallies) {
        List<Tally> sorted = new ArrayList<>(tallies);
        sorted.sort(Comparator.comparingLong(Tally::epochMillis));
        TreeSet<Long> times = new TreeSet<>();
        for (Tally tally : sorted) {
            for (long time : changeTimes(tally.epochMillis())) {
                times.add(time);
            }
        }
        List<FeatureRow> rows = new ArrayList<>(times.size());
        int from = 0;
        int to = 0;
        for (long time : times) {
            while (to < sorted.size() && sorted.get(to).epochMillis() <= time) {
                to++;
            }
            while (from < to && !stillCounts(sorted.get(from), time)) {
                from++;
            }
            rows.add(rowAt(cardToken, time, sorted.subList(from, to)));
        }
        return rows;
    }
}
