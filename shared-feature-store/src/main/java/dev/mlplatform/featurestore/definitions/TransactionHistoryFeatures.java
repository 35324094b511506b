package dev.mlplatform.featurestore.definitions;

import dev.mlplatform.featurestore.registry.Entity;
import dev.mlplatform.featurestore.registry.Feature;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.featurestore.registry.ValueType;
import java.io.Serial;
import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The features of one card payment drawn from its customer's spending and its terminal's known fraud:
 * the 15 of the handbook <i>Reproducible Machine Learning for Credit Card Fraud Detection</i> (Le Borgne
 * et al., "baseline feature transformation") followed by a few more that the handbook's simulated frauds
 * give away (compromised customers spend about five times their usual amount; a compromised terminal
 * stays compromised for 28 days). {@link #VIEW} names them all, in the order of the returned vector.
 *
 * <p>Event-time incremental and free of Flink and Spring: offline training replays a file through
 * {@link #next} in time order; a streaming job keeps one {@link CustomerHistory} per customer and one
 * {@link TerminalHistory} per terminal as keyed state and calls {@link #features} then their {@code add}
 * per event — one arithmetic for training and serving. Nothing reads a transaction later than the one
 * described.
 *
 * <p>Windows, for a transaction at time {@code t}:
 * <ul>
 *   <li>customer windows of length {@code w} cover {@code (t - w, t]} and include the transaction
 *       itself, as the handbook's pandas {@code rolling('7d')} does; the amount comparisons
 *       ({@code customer_amount_*}) look at the customer's earlier transactions only, so that an
 *       unusual amount cannot soften its own yardstick;</li>
 *   <li>terminal risk windows are shifted back by the label delay {@code d}: {@code (t - d - w, t - d]},
 *       the handbook's {@code rolling(d + w) - rolling(d)}. Fraud labels arrive late (a cardholder's
 *       complaint, an investigation): a label is only read once its transaction is at least {@code d}
 *       old, however early the history learnt it.</li>
 * </ul>
 * Undefined handbook values are 0 (its {@code fillna(0)}); undefined additions are NaN, a missing
 * value for the GBDT.
 */
public final class TransactionHistoryFeatures {

    /** What the features describe: one payment, by its customer and its terminal. */
    public static final Entity TRANSACTION = new Entity("transaction", "transaction_id",
            "One card payment, described by its customer's and its terminal's history up to it");

    /** The handbook's windows, for both customer spending and terminal risk. */
    public static final List<Duration> WINDOWS = List.of(Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(30));

    /** The short windows of the additions, which read no label: a burst of a customer's, a terminal's day. */
    static final Duration CUSTOMER_BURST_WINDOW = Duration.ofHours(1);
    static final Duration TERMINAL_RECENT_WINDOW = Duration.ofDays(1);

    public static final FeatureView VIEW = new FeatureView("transaction_history", 1, TRANSACTION, declare(),
            Duration.ofDays(30), "fraud-team",
            "The handbook's 15 features (amount, weekend, night, customer spending 1/7/30 days, terminal risk "
                    + "1/7/30 days shifted by the label delay) and customer amount anomalies, recency and "
                    + "known-fraud age of the terminal");

    /** The feature names in vector order. */
    public static final List<String> NAMES = VIEW.featureNames();
    public static final int SIZE = NAMES.size();

    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();
    private static final long[] WINDOW_MILLIS = WINDOWS.stream().mapToLong(Duration::toMillis).toArray();
    private static final long LONGEST_WINDOW_MILLIS = WINDOW_MILLIS[WINDOW_MILLIS.length - 1];

    private final long delayMillis;
    private final Map<String, CustomerHistory> customers = new HashMap<>();
    private final Map<String, TerminalHistory> terminals = new HashMap<>();

    /** @param labelDelay how old a transaction must be before its fraud label may be used */
    public TransactionHistoryFeatures(Duration labelDelay) {
        if (labelDelay.isNegative()) {
            throw new IllegalArgumentException("the label delay cannot be negative: " + labelDelay);
        }
        this.delayMillis = labelDelay.toMillis();
    }

    /**
     * One payment. The label is part of the history once the payment is {@link #add added}; it is
     * only ever read once the payment is older than the label delay.
     */
    public record Transaction(long epochMillis, String customerId, String terminalId, double amount, boolean fraud) {

        public Transaction {
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(terminalId, "terminalId");
            if (!Double.isFinite(amount)) {
                throw new IllegalArgumentException("amount is not a finite number: " + amount);
            }
        }
    }

    /** The features of {@code tx}, then adds it to the history: the replay of a time-ordered log. */
    public float[] next(Transaction tx) {
        float[] features = featuresOf(tx);
        add(tx);
        return features;
    }

    /**
     * The features of {@code tx} from the history so far, which it does not change.
     *
     * @throws IllegalArgumentException when the history already holds a later transaction of its
     *                                  customer or terminal (the features would see the future)
     */
    public float[] featuresOf(Transaction tx) {
        return features(tx, customers.get(tx.customerId()), terminals.get(tx.terminalId()));
    }

    /**
     * The features of {@code tx} from its customer's and its terminal's histories ({@code null} for none
     * yet), which it does not change: the per-event call of a job that keeps the histories as keyed state.
     *
     * @throws IllegalArgumentException when a history already holds a later transaction
     */
    public static float[] features(Transaction tx, CustomerHistory customer, TerminalHistory terminal) {
        long t = tx.epochMillis();
        float[] features = new float[SIZE];
        int i = 0;
        features[i++] = (float) tx.amount();
        LocalDateTime local = LocalDateTime.ofInstant(Instant.ofEpochMilli(t), ZoneOffset.UTC);
        DayOfWeek day = local.getDayOfWeek();
        features[i++] = day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY ? 1 : 0;
        features[i++] = local.getHour() <= 6 ? 1 : 0;
        Spending[] earlier = new Spending[WINDOW_MILLIS.length];
        for (int w = 0; w < WINDOW_MILLIS.length; w++) {
            earlier[w] = customer == null ? Spending.NONE : customer.spending(t, WINDOW_MILLIS[w]);
            features[i++] = earlier[w].count() + 1;
            features[i++] = (float) ((earlier[w].sum() + tx.amount()) / (earlier[w].count() + 1));
        }
        for (long window : WINDOW_MILLIS) {
            KnownRisk risk = terminal == null ? KnownRisk.NONE : terminal.knownRisk(t, window);
            features[i++] = risk.transactions();
            features[i++] = risk.transactions() == 0 ? 0 : (float) risk.frauds() / risk.transactions();
        }
        // The additions.
        Spending lastHour = customer == null ? Spending.NONE : customer.spending(t, CUSTOMER_BURST_WINDOW.toMillis());
        features[i++] = lastHour.count() + 1;
        Spending week = earlier[1];
        Spending month = earlier[2];
        features[i++] = (float) week.zScore(tx.amount());
        features[i++] = (float) month.zScore(tx.amount());
        features[i++] = month.count() == 0 ? Float.NaN : (float) (tx.amount() / month.mean());
        double median = customer == null ? Double.NaN : customer.medianAmount(t, LONGEST_WINDOW_MILLIS);
        features[i++] = median > 0 ? (float) (tx.amount() / median) : Float.NaN;
        features[i++] = month.count() == 0 ? Float.NaN : (float) ((t - month.latestMillis()) / 1000.0);
        features[i++] = (terminal == null ? 0 : terminal.transactions(t, TERMINAL_RECENT_WINDOW.toMillis())) + 1;
        long streakStart = terminal == null ? Long.MIN_VALUE : terminal.knownFraudStreakStart(t);
        features[i++] = streakStart == Long.MIN_VALUE ? Float.NaN : (float) ((t - streakStart) / (double) DAY_MILLIS);
        KnownRisk longest = terminal == null ? KnownRisk.NONE : terminal.knownRisk(t, LONGEST_WINDOW_MILLIS);
        features[i++] = longest.frauds() == 0 ? Float.NaN
                : (float) ((t - longest.lastFraudMillis()) / (double) DAY_MILLIS);
        return features;
    }

    /** Adds {@code tx} to its customer's and its terminal's history. */
    public void add(Transaction tx) {
        customers.computeIfAbsent(tx.customerId(), id -> new CustomerHistory()).add(tx.epochMillis(), tx.amount());
        terminals.computeIfAbsent(tx.terminalId(), id -> new TerminalHistory(delayMillis))
                .add(tx.epochMillis(), tx.fraud());
    }

    private static List<Feature> declare() {
        List<Feature> features = new ArrayList<>();
        features.add(new Feature("tx_amount", ValueType.DOUBLE, "the payment's amount"));
        features.add(new Feature("tx_during_weekend", ValueType.LONG, "1 on Saturday or Sunday, else 0"));
        features.add(new Feature("tx_during_night", ValueType.LONG, "1 when the hour is 0 to 6, else 0"));
        for (Duration window : WINDOWS) {
            String days = window.toDays() + "day";
            features.add(new Feature("customer_nb_tx_" + days, ValueType.LONG,
                    "the customer's payments in the last " + window.toDays() + " days, this one included"));
            features.add(new Feature("customer_avg_amount_" + days, ValueType.DOUBLE,
                    "the customer's mean amount in the last " + window.toDays() + " days, this one included"));
        }
        for (Duration window : WINDOWS) {
            String days = window.toDays() + "day";
            features.add(new Feature("terminal_nb_tx_" + days + "_delayed", ValueType.LONG,
                    "the terminal's payments in the " + window.toDays() + " days before the label delay"));
            features.add(new Feature("terminal_risk_" + days + "_delayed", ValueType.DOUBLE,
                    "the share of them that were fraud (0 without any)"));
        }
        features.add(new Feature("customer_nb_tx_1hour", ValueType.LONG,
                "the customer's payments in the last hour, this one included"));
        features.add(new Feature("customer_amount_zscore_7day", ValueType.DOUBLE,
                "(amount - mean) / standard deviation of the customer's earlier payments in the last 7 days "
                        + "(NaN with fewer than 2 or no spread)"));
        features.add(new Feature("customer_amount_zscore_30day", ValueType.DOUBLE,
                "the same over 30 days"));
        features.add(new Feature("customer_amount_to_mean_30day", ValueType.DOUBLE,
                "amount / mean of the customer's earlier payments in the last 30 days (NaN without any)"));
        features.add(new Feature("customer_amount_to_median_30day", ValueType.DOUBLE,
                "amount / median of the customer's earlier payments in the last 30 days (NaN without any): "
                        + "unlike the mean, not pulled up by a run of fraudulent amounts"));
        features.add(new Feature("customer_seconds_since_previous_tx", ValueType.DOUBLE,
                "seconds since the customer's previous payment (NaN without one in 30 days)"));
        features.add(new Feature("terminal_nb_tx_1day", ValueType.LONG,
                "the terminal's payments in the last day, this one included (no label read)"));
        features.add(new Feature("terminal_days_in_known_fraud_streak", ValueType.DOUBLE,
                "when the terminal's latest payment older than the label delay was a fraud: days since the "
                        + "first fraud of the unbroken run of frauds it ends (else NaN). A compromised terminal "
                        + "stays so for weeks, then recovers"));
        features.add(new Feature("terminal_days_since_last_known_fraud", ValueType.DOUBLE,
                "days since the latest fraud at the terminal that is older than the label delay, "
                        + "within the same 30 days (NaN without any)"));
        return features;
    }

    /** A customer's earlier payments in one window: how many, their sum and spread, the latest time. */
    record Spending(int count, double sum, double sumOfSquaredDeviations, long latestMillis) {

        static final Spending NONE = new Spending(0, 0, 0, Long.MIN_VALUE);

        double mean() {
            return sum / count;
        }

        /** How many (population) standard deviations {@code amount} lies above the mean; NaN when undefined. */
        double zScore(double amount) {
            if (count < 2 || sumOfSquaredDeviations <= 0) {
                return Double.NaN;
            }
            return (amount - mean()) / Math.sqrt(sumOfSquaredDeviations / count);
        }
    }

    /** A terminal's payments in one shifted window: how many, how many fraud, the latest fraud. */
    record KnownRisk(int transactions, int frauds, long lastFraudMillis) {

        static final KnownRisk NONE = new KnownRisk(0, 0, Long.MIN_VALUE);
    }

    /**
     * One customer's payments of the last 30 days, oldest first: the keyed state of a customer.
     * Payments must be added in event-time order.
     */
    public static final class CustomerHistory implements Serializable {

        @Serial
        private static final long serialVersionUID = 1L;

        private final ArrayDeque<Payment> payments = new ArrayDeque<>();

        private record Payment(long epochMillis, double amount) implements Serializable {
        }

        public void add(long epochMillis, double amount) {
            requireInOrder(payments.isEmpty() ? Long.MIN_VALUE : payments.peekLast().epochMillis(), epochMillis);
            payments.addLast(new Payment(epochMillis, amount));
            // Older than the longest window at this time: never counted again.
            while (payments.peekFirst().epochMillis() <= epochMillis - LONGEST_WINDOW_MILLIS) {
                payments.removeFirst();
            }
        }

        /** The median amount of the payments in {@code (t - window, t]} added so far; NaN without any. */
        double medianAmount(long t, long window) {
            requireNotAfter(payments.isEmpty() ? Long.MIN_VALUE : payments.peekLast().epochMillis(), t);
            double[] amounts = new double[payments.size()];
            int count = 0;
            for (Iterator<Payment> it = payments.descendingIterator(); it.hasNext(); ) {
                Payment payment = it.next();
                if (payment.epochMillis() <= t - window) {
                    break;
                }
                amounts[count++] = payment.amount();
            }
            if (count == 0) {
                return Double.NaN;
            }
            Arrays.sort(amounts, 0, count);
            return count % 2 == 1 ? amounts[count / 2] : (amounts[count / 2 - 1] + amounts[count / 2]) / 2;
        }

        /** The payments in {@code (t - window, t]} added so far. */
        Spending spending(long t, long window) {
            requireNotAfter(payments.isEmpty() ? Long.MIN_VALUE : payments.peekLast().epochMillis(), t);
            int count = 0;
            double sum = 0;
            long latest = Long.MIN_VALUE;
            for (Iterator<Payment> it = payments.descendingIterator(); it.hasNext(); ) {
                Payment payment = it.next();
                if (payment.epochMillis() <= t - window) {
                    break;
                }
                count++;
                sum += payment.amount();
                latest = Math.max(latest, payment.epochMillis());
            }
            if (count == 0) {
                return Spending.NONE;
            }
            // Two passes: the spread from the mean, free of the cancellation of sum-of-squares formulas.
            double mean = sum / count;
            double squares = 0;
            int seen = 0;
            for (Iterator<Payment> it = payments.descendingIterator(); seen < count; seen++) {
                double deviation = it.next().amount() - mean;
                squares += deviation * deviation;
            }
            return new Spending(count, sum, squares, latest);
        }
    }

    /**
     * One terminal's payments with their fraud labels over the label delay plus 30 days, oldest first:
     * the keyed state of a terminal. Payments must be added in event-time order.
     */
    public static final class TerminalHistory implements Serializable {

        @Serial
        private static final long serialVersionUID = 1L;

        private final long delayMillis;
        private final ArrayDeque<LabelledPayment> payments = new ArrayDeque<>();

        private record LabelledPayment(long epochMillis, boolean fraud) implements Serializable {
        }

        public TerminalHistory(long delayMillis) {
            this.delayMillis = delayMillis;
        }

        public void add(long epochMillis, boolean fraud) {
            requireInOrder(payments.isEmpty() ? Long.MIN_VALUE : payments.peekLast().epochMillis(), epochMillis);
            payments.addLast(new LabelledPayment(epochMillis, fraud));
            while (payments.peekFirst().epochMillis() <= epochMillis - delayMillis - LONGEST_WINDOW_MILLIS
                    && payments.peekFirst().epochMillis() <= epochMillis - TERMINAL_RECENT_WINDOW.toMillis()) {
                payments.removeFirst();
            }
        }

        /** Payments in {@code (t - window, t]} added so far; no label read. */
        int transactions(long t, long window) {
            requireNotAfter(payments.isEmpty() ? Long.MIN_VALUE : payments.peekLast().epochMillis(), t);
            int count = 0;
            for (Iterator<LabelledPayment> it = payments.descendingIterator(); it.hasNext(); ) {
                if (it.next().epochMillis() <= t - window) {
                    break;
                }
                count++;
            }
            return count;
        }

        /**
         * Payments and frauds in {@code (t - delay - window, t - delay]}: the only labels this reads are
         * those of payments at least {@code delay} old at {@code t}.
         */
        KnownRisk knownRisk(long t, long window) {
            requireNotAfter(payments.isEmpty() ? Long.MIN_VALUE : payments.peekLast().epochMillis(), t);
            long known = t - delayMillis;
            int transactions = 0;
            int frauds = 0;
            long last = Long.MIN_VALUE;
            for (Iterator<LabelledPayment> it = payments.descendingIterator(); it.hasNext(); ) {
                LabelledPayment payment = it.next();
                if (payment.epochMillis() > known) {
                    continue;
                }
                if (payment.epochMillis() <= known - window) {
                    break;
                }
                transactions++;
                if (payment.fraud()) {
                    frauds++;
                    if (last == Long.MIN_VALUE) {
                        last = payment.epochMillis();
                    }
                }
            }
            return new KnownRisk(transactions, frauds, last);
        }

        /**
         * When the latest payment older than the delay at {@code t} was a fraud, the time of the first
         * fraud of the unbroken run of frauds that ends with it (as far back as this history goes);
         * else {@link Long#MIN_VALUE}.
         */
        long knownFraudStreakStart(long t) {
            requireNotAfter(payments.isEmpty() ? Long.MIN_VALUE : payments.peekLast().epochMillis(), t);
            long known = t - delayMillis;
            long start = Long.MIN_VALUE;
            for (Iterator<LabelledPayment> it = payments.descendingIterator(); it.hasNext(); ) {
                LabelledPayment payment = it.next();
                if (payment.epochMillis() > known) {
                    continue;
                }
                if (!payment.fraud()) {
                    break;
                }
                start = payment.epochMillis();
            }
            return start;
        }
    }

    private static void requireInOrder(long latest, long epochMillis) {
        if (epochMillis < latest) {
            throw new IllegalArgumentException("payment at " + Instant.ofEpochMilli(epochMillis)
                    + " added after one at " + Instant.ofEpochMilli(latest) + ": histories grow in event-time order");
        }
    }

    /** Features at {@code t} from a history holding a later payment would see the future. */
    private static void requireNotAfter(long latest, long t) {
        if (latest > t) {
            throw new IllegalArgumentException("features at " + Instant.ofEpochMilli(t) + " asked of a history "
                    + "that already holds a payment at " + Instant.ofEpochMilli(latest));
        }
    }
}
