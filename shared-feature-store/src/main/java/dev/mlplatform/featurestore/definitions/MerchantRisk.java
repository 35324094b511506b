package dev.mlplatform.featurestore.definitions;

import dev.mlplatform.core.events.FraudLabel;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A merchant's known fraud, free of Flink and Spring: the arithmetic of {@link FraudFeatures#MERCHANT_RISK}
 * for the streaming job (one {@link MerchantState} per merchant as keyed state), the offline replay for
 * training (the same state, labels added with their payments) and the scoring service ({@link #features}).
 *
 * <p>Fraud labels arrive late (a chargeback, a cardholder's dispute), so the fraud rate of the last days
 * would always look clean. As in the handbook <i>Reproducible Machine Learning for Credit Card Fraud
 * Detection</i>, the risk windows are therefore shifted back by the {@link #LABEL_DELAY}: at time
 * {@code t}, a window of length {@code w} covers payments in {@code (t - d - w, t - d]}, every label of
 * which should be known by {@code t}; a payment without a label counts as genuine. A label reported
 * after its payment is {@code d} old counts from the moment it is reported.
 *
 * <p>Payments are counted per minute of their event time ({@link #BUCKET}): a busy merchant's state then
 * holds at most a count per minute of the last {@code d + 30} days, and its row changes at most a few
 * times a minute. Against a week's delay a minute's precision is nothing. The row changes when a minute
 * enters a window ({@code bucket + d}), leaves one ({@code bucket + d + w}) and when a label becomes visible;
 * the job emits a row at each such instant ({@link MerchantState#changeTimesOfPayment}), so that the latest
 * online row is exact until the next change.
 */
public final class MerchantRisk {

    /** How old a payment must be before its fraud label is read: the handbook's week. */
    public static final Duration LABEL_DELAY = Duration.ofDays(7);
    /** The risk windows, shortest first, each before the label delay. */
    public static final List<Duration> WINDOWS = List.of(Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(30));
    /** Payments are counted per this much of event time. */
    public static final Duration BUCKET = Duration.ofMinutes(1);

    static final String LAST_KNOWN_FRAUD_MILLIS = "last_known_fraud_millis";

    private static final long DELAY_MILLIS = LABEL_DELAY.toMillis();
    private static final long BUCKET_MILLIS = BUCKET.toMillis();
    private static final long[] WINDOW_MILLIS = WINDOWS.stream().mapToLong(Duration::toMillis).toArray();
    private static final long LONGEST_WINDOW_MILLIS = WINDOW_MILLIS[WINDOW_MILLIS.length - 1];
    private static final double DAY_MILLIS = Duration.ofDays(1).toMillis();

    private MerchantRisk() {
    }

    /** {@code known_tx_1d}: the payments of a window before the delay. */
    static String transactionsFeature(Duration window) {
        return "known_tx_" + FraudFeatures.suffix(window);
    }

    /** {@code known_frauds_1d}: the labelled frauds among them. */
    static String fraudsFeature(Duration window) {
        return "known_frauds_" + FraudFeatures.suffix(window);
    }

    /** How long a row stays meaningful: until its last payment has left the longest window. */
    static Duration horizon() {
        return LABEL_DELAY.plus(WINDOWS.get(WINDOWS.size() - 1));
    }

    static List<Feature> features() {
        List<Feature> features = new ArrayList<>();
        for (Duration window : WINDOWS) {
            String span = "the " + window.toDays() + " day(s) before the label delay (" + LABEL_DELAY.toDays() + " days)";
            features.add(new Feature(transactionsFeature(window), ValueType.LONG, "payments at the merchant in " + span));
            features.add(new Feature(fraudsFeature(window), ValueType.LONG, "labelled frauds among them"));
        }
        features.add(new Feature(LAST_KNOWN_FRAUD_MILLIS, ValueType.LONG, "the minute (epoch ms) of the latest "
                + "labelled fraud in the longest window, absent without one"));
        return features;
    }

    /**
     * A merchant's risk at one instant.
     *
     * @param transactions     payments in each of {@link #WINDOWS}, before the label delay
     * @param fraudRates       the labelled share of them (0 without payments)
     * @param daysSinceFraud   days from the latest known fraud's minute to now (NaN without one)
     */
    public record Features(List<Long> transactions, List<Double> fraudRates, double daysSinceFraud) {

        static final Features NONE = new Features(WINDOWS.stream().map(window -> 0L).toList(),
                WINDOWS.stream().map(window -> 0.0).toList(), Double.NaN);

        public Features {
            transactions = List.copyOf(transactions);
            fraudRates = List.copyOf(fraudRates);
        }
    }

    /**
     * The risk at {@code epochMillis} from the merchant's latest row at or before it ({@code null} when it has
     * none, then no known payment and no known fraud).
     */
    public static Features features(FeatureRow row, long epochMillis) {
        if (row == null) {
            return Features.NONE;
        }
        List<Long> transactions = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (Duration window : WINDOWS) {
            long payments = (long) row.getDouble(transactionsFeature(window), 0);
            long frauds = (long) row.getDouble(fraudsFeature(window), 0);
            // A label may name a payment the job never counted (lost upstream): a share, never above 1.
            long base = Math.max(payments, frauds);
            transactions.add(payments);
            rates.add(base == 0 ? 0 : (double) frauds / base);
        }
        double lastFraud = row.getDouble(LAST_KNOWN_FRAUD_MILLIS, Double.NaN);
        return new Features(transactions, rates, Double.isNaN(lastFraud) ? Double.NaN : (epochMillis - lastFraud) / DAY_MILLIS);
    }

    /** The minute a payment at {@code epochMillis} is counted in (its start, epoch ms). */
    static long bucketOf(long epochMillis) {
        return Math.floorDiv(epochMillis, BUCKET_MILLIS) * BUCKET_MILLIS;
    }

    /**
     * When a fraud label counts: once its payment is the label delay old, or when it was reported if that
     * is later.
     */
    public static long visibleAt(long transactionMillis, long reportedMillis) {
        return Math.max(reportedMillis, bucketOf(transactionMillis) + DELAY_MILLIS);
    }

    /**
     * Every row the streaming job emits for one merchant, in event-time order: at each instant a payment or a
     * label changes it. Offline backfills and parity tests use this; a label repeated for the same
     * transaction counts once, from its first report.
     */
    public static List<FeatureRow> replay(String merchantId, Collection<Long> paymentMillis, Collection<FraudLabel> labels) {
        MerchantState state = new MerchantState();
        TreeSet<Long> times = new TreeSet<>();
        for (long payment : paymentMillis) {
            state.addPayment(payment);
            Arrays.stream(MerchantState.changeTimesOfPayment(payment)).forEach(times::add);
        }
        for (FraudLabel label : labels) {
            long transactionTime = label.transactionTime().toEpochMilli();
            long visibleAt = visibleAt(transactionTime, label.reportedAt().toEpochMilli());
            if (visibleAt < MerchantState.forgottenAt(transactionTime)
                    && state.addFraud(label.transactionId(), transactionTime, visibleAt)) {
                times.add(visibleAt);
                Arrays.stream(MerchantState.changeTimesOfPayment(transactionTime))
                        .filter(time -> time > visibleAt).forEach(times::add);
            }
        }
        List<FeatureRow> rows = new ArrayList<>();
        times.forEach(time -> rows.add(state.rowAt(merchantId, time)));
        return rows;
    }

    /**
     * One merchant's payments per minute over the label delay and the longest window, and its labelled
     * frauds: the keyed state of a merchant. Payments and labels may come in any order.
     */
    public static final class MerchantState implements Serializable {

        @Serial
        private static final long serialVersionUID = 1L;

        private final TreeMap<Long, Long> paymentsPerBucket = new TreeMap<>();
        /** By transaction id, so that a fraud reported twice counts once. */
        private final Map<String, KnownFraud> frauds = new HashMap<>();

        private record KnownFraud(long bucket, long visibleAtMillis) implements Serializable {
        }

        public void addPayment(long epochMillis) {
            paymentsPerBucket.merge(bucketOf(epochMillis), 1L, Long::sum);
        }

        /**
         * Adds a fraud of the payment {@code transactionId} at {@code transactionMillis}, counted from
         * {@code visibleAtMillis} (see {@link #visibleAt}); false when it was already known.
         */
        public boolean addFraud(String transactionId, long transactionMillis, long visibleAtMillis) {
            return frauds.putIfAbsent(transactionId, new KnownFraud(bucketOf(transactionMillis), visibleAtMillis)) == null;
        }

        /** The instants a payment at {@code epochMillis} changes the row: as its minute enters the known past, and leaves each window. */
        public static long[] changeTimesOfPayment(long epochMillis) {
            long known = bucketOf(epochMillis) + DELAY_MILLIS;
            long[] times = new long[1 + WINDOW_MILLIS.length];
            times[0] = known;
            for (int w = 0; w < WINDOW_MILLIS.length; w++) {
                times[w + 1] = known + WINDOW_MILLIS[w];
            }
            return times;
        }

        /** The instant a payment at {@code epochMillis} is past every window: its minute no longer counts anywhere. */
        public static long forgottenAt(long epochMillis) {
            return bucketOf(epochMillis) + DELAY_MILLIS + LONGEST_WINDOW_MILLIS;
        }

        /** The merchant's row at {@code epochMillis}, from the payments and labels added so far. */
        public FeatureRow rowAt(String merchantId, long epochMillis) {
            long known = epochMillis - DELAY_MILLIS;
            Map<String, Object> values = new LinkedHashMap<>();
            long lastFraud = Long.MIN_VALUE;
            for (int w = 0; w < WINDOW_MILLIS.length; w++) {
                long from = known - WINDOW_MILLIS[w];
                long transactions = 0;
                for (long count : paymentsPerBucket.subMap(from, false, known, true).values()) {
                    transactions += count;
                }
                long fraudCount = 0;
                for (KnownFraud fraud : frauds.values()) {
                    if (fraud.bucket() > from && fraud.bucket() <= known && fraud.visibleAtMillis() <= epochMillis) {
                        fraudCount++;
                        lastFraud = Math.max(lastFraud, fraud.bucket());
                    }
                }
                values.put(transactionsFeature(WINDOWS.get(w)), transactions);
                values.put(fraudsFeature(WINDOWS.get(w)), fraudCount);
            }
            if (lastFraud != Long.MIN_VALUE) {
                values.put(LAST_KNOWN_FRAUD_MILLIS, lastFraud);
            }
            return new FeatureRow(merchantId, Instant.ofEpochMilli(epochMillis), values);
        }

        /** Forgets the minutes and frauds past every window at {@code epochMillis}; true when nothing is left. */
        public boolean forgetBefore(long epochMillis) {
            long oldest = epochMillis - DELAY_MILLIS - LONGEST_WINDOW_MILLIS;
            paymentsPerBucket.headMap(oldest, true).clear();
            frauds.values().removeIf(fraud -> fraud.bucket() <= oldest);
            return paymentsPerBucket.isEmpty() && frauds.isEmpty();
        }
    }
}
