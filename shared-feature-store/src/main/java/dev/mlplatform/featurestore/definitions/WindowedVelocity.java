package dev.mlplatform.featurestore.definitions;

import dev.mlplatform.featurestore.registry.Feature;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.ValueType;
import java.io.Serial;
import java.io.Serializable;
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
 * Transaction count and amount sum of one entity (a card, a customer, a device, a merchant) over
 * sliding event-time windows, free of Flink and Spring, so that the streaming job, the offline replay
 * for training and the scoring service compute the very same values (training/serving consistency).
 *
 * <p>At an instant {@code t}, the window of length {@code w} covers event times in {@code (t - w, t]}:
 * a transaction counts from its own event time on (it is part of its own velocity) and stops counting
 * exactly {@code w} later. The values therefore change only at a transaction's event time and at that
 * time plus each window length ({@link #changeTimes}); the job emits a row at each of these instants,
 * the replay ({@link #replay}) computes the same rows, and the latest row stays exact until the next
 * change, which is what lets a service advance it to the instant of a new transaction ({@link #including}).
 *
 * <p>Times are epoch milliseconds (Flink's event-time resolution); amounts are summed in exact minor
 * units (cents), so that the order in which transactions arrive cannot change a sum in its last bit.
 */
public final class WindowedVelocity implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;
    private static final int MINOR_DIGITS = 2;

    private final String prefix;
    private final List<Duration> windows;
    private final long[] windowMillis;
    private final long horizonMillis;

    /**
     * @param prefix  the feature names' prefix: {@code tx} gives {@code tx_count_1m}, {@code tx_amount_1m}, ...
     * @param windows the window lengths, shortest first
     */
    public WindowedVelocity(String prefix, List<Duration> windows) {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("at least one window");
        }
        this.prefix = prefix;
        this.windows = List.copyOf(windows);
        this.windowMillis = windows.stream().mapToLong(Duration::toMillis).toArray();
        for (int i = 1; i < windowMillis.length; i++) {
            if (windowMillis[i] <= windowMillis[i - 1]) {
                throw new IllegalArgumentException("windows must be given shortest first: " + windows);
            }
        }
        this.horizonMillis = windowMillis[windowMillis.length - 1];
    }

    /**
     * The transactions of one entity at one event-time millisecond: how many and their amount in cents.
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

    public List<Duration> windows() {
        return windows;
    }

    /** After this long without a transaction every window of an entity is empty. */
    public Duration horizon() {
        return windows.get(windows.size() - 1);
    }

    public String countFeature(Duration window) {
        return prefix + "_count_" + FraudFeatures.suffix(window);
    }

    public String amountFeature(Duration window) {
        return prefix + "_amount_" + FraudFeatures.suffix(window);
    }

    /** A count ({@code LONG}) and an amount sum ({@code DOUBLE}) per window, shortest window first. */
    public List<Feature> features(String entityDescription) {
        List<Feature> features = new ArrayList<>();
        for (Duration window : windows) {
            String span = FraudFeatures.suffix(window);
            features.add(new Feature(countFeature(window), ValueType.LONG,
                    "transactions of the " + entityDescription + " in the last " + span));
            features.add(new Feature(amountFeature(window), ValueType.DOUBLE,
                    "amount spent by the " + entityDescription + " in the last " + span));
        }
        return features;
    }

    /**
     * The instants at which a transaction at {@code epochMillis} changes the entity's features: its own
     * event time, and the moment it leaves each window. Ascending.
     */
    public long[] changeTimes(long epochMillis) {
        long[] times = new long[windowMillis.length + 1];
        times[0] = epochMillis;
        for (int i = 0; i < windowMillis.length; i++) {
            times[i + 1] = epochMillis + windowMillis[i];
        }
        return times;
    }

    /** Whether a tally can still count in a window at {@code epochMillis} or later. */
    public boolean stillCounts(Tally tally, long epochMillis) {
        return tally.epochMillis() > epochMillis - horizonMillis;
    }

    /**
     * The feature values at {@code epochMillis}: for each window, the count ({@code Long}) and the amount
     * sum ({@code Double}) of the tallies with event time in {@code (epochMillis - w, epochMillis]}.
     * Tallies outside every window are ignored, so callers may pass more than needed.
     */
    public Map<String, Object> valuesAt(long epochMillis, Iterable<Tally> tallies) {
        long[] counts = new long[windowMillis.length];
        long[] cents = new long[windowMillis.length];
        for (Tally tally : tallies) {
            if (tally.epochMillis() > epochMillis) {
                continue;
            }
            for (int i = 0; i < windowMillis.length; i++) {
                if (tally.epochMillis() > epochMillis - windowMillis[i]) {
                    counts[i] += tally.count();
                    cents[i] += tally.amountCents();
                }
            }
        }
        return values(counts, cents);
    }

    /**
     * The row of {@code entityId} at {@code epochMillis} from running sums, per window shortest first: the
     * transaction count and the amount in cents. A job that keeps the sums up to date as transactions enter
     * and leave the windows emits the same rows as {@link #rowAt}, without rereading every transaction.
     */
    public FeatureRow rowOf(String entityId, long epochMillis, long[] counts, long[] cents) {
        return new FeatureRow(entityId, Instant.ofEpochMilli(epochMillis), values(counts, cents));
    }

    /** {@link #valuesAt} as the row of {@code entityId} at {@code epochMillis}. */
    public FeatureRow rowAt(String entityId, long epochMillis, Iterable<Tally> tallies) {
        return new FeatureRow(entityId, Instant.ofEpochMilli(epochMillis), valuesAt(epochMillis, tallies));
    }

    /**
     * Every row the streaming job emits for one entity's complete history, in event-time order: one at
     * each distinct {@link #changeTimes change time} of its transactions. The last row of each idle
     * stretch longer than the {@link #horizon} is all zeros. Offline training and backfills use this.
     */
    public List<FeatureRow> replay(String entityId, Collection<Tally> tallies) {
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
            rows.add(rowAt(entityId, time, sorted.subList(from, to)));
        }
        return rows;
    }

    /**
     * The values at {@code tally}'s instant with {@code tally} counted, from the entity's latest online
     * row ({@code null} when it has none: a new or idle entity), which the job wrote at its last change
     * time, the transaction not yet in it. A window that ended before {@code t - w} contributes nothing.
     *
     * <p>A row whose event time is the transaction's own (to the millisecond) was written after the job
     * saw this very transaction (service and job read the same topic): it already counts it, and it is
     * not added twice.
     */
    public Map<String, Object> including(FeatureRow row, Tally tally) {
        long t = tally.epochMillis();
        if (row != null && row.eventTime().toEpochMilli() == t) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (Duration window : windows) {
                values.put(countFeature(window), (long) row.getDouble(countFeature(window), 0));
                values.put(amountFeature(window), row.getDouble(amountFeature(window), 0));
            }
            return values;
        }
        long[] counts = new long[windowMillis.length];
        long[] cents = new long[windowMillis.length];
        for (int i = 0; i < windowMillis.length; i++) {
            Duration window = windows.get(i);
            boolean current = row != null && row.eventTime().toEpochMilli() > t - windowMillis[i];
            counts[i] = tally.count() + (current ? (long) row.getDouble(countFeature(window), 0) : 0);
            cents[i] = tally.amountCents()
                    + (current ? Math.round(row.getDouble(amountFeature(window), 0) * 100) : 0);
        }
        return values(counts, cents);
    }

    private Map<String, Object> values(long[] counts, long[] cents) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < windowMillis.length; i++) {
            values.put(countFeature(windows.get(i)), counts[i]);
            // The double nearest to the exact decimal sum: the same whatever the order of addition.
            values.put(amountFeature(windows.get(i)), BigDecimal.valueOf(cents[i], MINOR_DIGITS).doubleValue());
        }
        return values;
    }
}
