package dev.mlplatform.featurestore.definitions;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.registry.Feature;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.ValueType;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Batch features: a customer's spending pattern over 7, 30 and 90 days and a merchant category's amounts over
 * 30 days, as of the start of each day (UTC), computed from the payment log in the offline store
 * ({@link FraudFeatures#PAYMENT_LOG}) and materialized to the online store once a day.
 *
 * <p>Long windows change little within a day, so a daily batch over the offline store serves them at a
 * fraction of a streaming job's state: per customer, the count, mean and spread of the amounts, the share of
 * payments at night and at weekends (time-of-day and day-of-week habits); per merchant category, the mean and
 * spread of its amounts. The service scores a payment against them ({@link #features}): how unusual its amount
 * is for the customer and for the category, whether the customer pays at this time of day and week.
 *
 * <p>Two implementations of one definition: the materialization is SQL over the offline log
 * ({@link #CUSTOMER_SQL}, {@link #MCC_SQL}, run by the feature store where the data lies, as a warehouse
 * would); training replays the same arithmetic in Java ({@link #customerRow}, {@link #mccRow}). A parity
 * test holds the two equal. A row as of day {@code D} covers payments in {@code [D - w, D)} and is served
 * for payments on day {@code D}.
 */
public final class CustomerSpending {

    /** The customer windows, shortest first. */
    public static final List<Duration> CUSTOMER_WINDOWS = List.of(Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(90));
    /** The merchant-category window. */
    public static final Duration MCC_WINDOW = Duration.ofDays(30);
    /** Night is 00:00 to 05:59 UTC, as the transaction's own {@code is_night}. */
    static final int NIGHT_END_HOUR = 6;

    static final String NIGHT_SHARE = "night_share_90d";
    static final String WEEKEND_SHARE = "weekend_share_90d";

    private static final Duration LONGEST = CUSTOMER_WINDOWS.get(CUSTOMER_WINDOWS.size() - 1);
    /**
     * The payments a customer's row reads: the longest window and the day before it. Customers with a payment
     * in that day only get a row too, of zeros: it replaces their last row online the day their last payment
     * leaves every window.
     */
    public static final Duration CUSTOMER_SPAN = LONGEST.plusDays(1);

    /**
     * The customer rows as of a cutoff (bound to every {@code ?}): one per customer with a payment in the
     * 91 days before it. Columns: the entity id, then each feature by name; a NULL leaves the feature out.
     * Windows are in hours, as in Java: a day interval would follow the session's daylight-saving time.
     */
    public static final String CUSTOMER_SQL = """
            WITH payments AS (
                SELECT feature_values ->> 'customer_id' AS customer_id,
                       (feature_values ->> 'amount')::float8 AS amount,
                       event_time,
                       event_time >= ?::timestamptz - interval '168 hours' AS in_7d,
                       event_time >= ?::timestamptz - interval '720 hours' AS in_30d,
                       event_time >= ?::timestamptz - interval '2160 hours' AS in_90d
                  FROM featurestore.feature_log
                 WHERE view_id = 'payment_log:v1'
                   AND event_time >= ?::timestamptz - interval '2184 hours'
                   AND event_time < ?::timestamptz)
            SELECT customer_id,
                   count(*) FILTER (WHERE in_7d) AS payments_7d,
                   avg(amount) FILTER (WHERE in_7d) AS amount_mean_7d,
                   stddev_pop(amount) FILTER (WHERE in_7d) AS amount_std_7d,
                   count(*) FILTER (WHERE in_30d) AS payments_30d,
                   avg(amount) FILTER (WHERE in_30d) AS amount_mean_30d,
                   stddev_pop(amount) FILTER (WHERE in_30d) AS amount_std_30d,
                   count(*) FILTER (WHERE in_90d) AS payments_90d,
                   avg(amount) FILTER (WHERE in_90d) AS amount_mean_90d,
                   stddev_pop(amount) FILTER (WHERE in_90d) AS amount_std_90d,
                   avg(CASE WHEN extract(hour FROM event_time AT TIME ZONE 'UTC') < 6 THEN 1.0 ELSE 0.0 END::float8)
                       FILTER (WHERE in_90d) AS night_share_90d,
                   avg(CASE WHEN extract(isodow FROM event_time AT TIME ZONE 'UTC') >= 6 THEN 1.0 ELSE 0.0 END::float8)
                       FILTER (WHERE in_90d) AS weekend_share_90d
              FROM payments
             GROUP BY customer_id""";

    /** The merchant-category rows as of a cutoff (bound to every {@code ?}): one per category paid in the 30 days before it. */
    public static final String MCC_SQL = """
            SELECT feature_values ->> 'mcc' AS mcc,
                   count(*) AS payments_30d,
                   avg((feature_values ->> 'amount')::float8) AS amount_mean_30d,
                   stddev_pop((feature_values ->> 'amount')::float8) AS amount_std_30d
              FROM featurestore.feature_log
             WHERE view_id = 'payment_log:v1'
               AND feature_values ->> 'mcc' IS NOT NULL
               AND event_time >= ?::timestamptz - interval '720 hours'
               AND event_time < ?::timestamptz
             GROUP BY 1""";

    private CustomerSpending() {
    }

    /** One payment as the batch sees it: when, whose, which category (or null), how much. */
    public record Payment(long epochMillis, String customerId, String mcc, double amount) {

        public static Payment of(TransactionEvent tx) {
            return new Payment(tx.timestamp().toEpochMilli(), tx.customerId(), tx.mcc(), tx.amount().doubleValue());
        }
    }

    /** The payment-log row of a transaction: the batch's source, keyed by transaction id. */
    public static FeatureRow paymentLogRow(TransactionEvent tx) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("customer_id", tx.customerId());
        values.put("merchant_id", tx.merchantId());
        if (tx.mcc() != null) {
            values.put("mcc", tx.mcc());
        }
        values.put("amount", tx.amount().doubleValue());
        return new FeatureRow(tx.transactionId(), tx.timestamp(), values);
    }

    /** The start (UTC) of the day of {@code epochMillis}: the cutoff of the rows served then. */
    public static Instant cutoffOf(long epochMillis) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /**
     * The customer's row as of {@code cutoff} from their payments (any order, any span), or null when none lies
     * in the 91 days before it: what {@link #CUSTOMER_SQL} gives.
     */
    public static FeatureRow customerRow(String customerId, Instant cutoff, Collection<Payment> payments) {
        long c = cutoff.toEpochMilli();
        List<Payment> population = within(payments, c, CUSTOMER_SPAN);
        if (population.isEmpty()) {
            return null;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Duration window : CUSTOMER_WINDOWS) {
            putSpread(values, within(population, c, window), FraudFeatures.suffix(window));
        }
        List<Payment> longest = within(population, c, LONGEST);
        if (!longest.isEmpty()) {
            long night = longest.stream().filter(p -> utc(p).getHour() < NIGHT_END_HOUR).count();
            long weekend = longest.stream().filter(p -> utc(p).getDayOfWeek().compareTo(DayOfWeek.SATURDAY) >= 0).count();
            values.put(NIGHT_SHARE, (double) night / longest.size());
            values.put(WEEKEND_SHARE, (double) weekend / longest.size());
        }
        return new FeatureRow(customerId, cutoff, values);
    }

    /** Each category's row as of {@code cutoff} from all payments: what {@link #MCC_SQL} gives. */
    public static List<FeatureRow> mccRows(Instant cutoff, Collection<Payment> payments) {
        Map<String, List<Payment>> byMcc = new HashMap<>();
        for (Payment payment : within(payments, cutoff.toEpochMilli(), MCC_WINDOW)) {
            if (payment.mcc() != null) {
                byMcc.computeIfAbsent(payment.mcc(), mcc -> new ArrayList<>()).add(payment);
            }
        }
        List<FeatureRow> rows = new ArrayList<>();
        byMcc.forEach((mcc, mccPayments) -> rows.add(mccRow(mcc, cutoff, mccPayments)));
        return rows;
    }

    /** One category's row as of {@code cutoff} from its payments, or null when none lies in the window. */
    public static FeatureRow mccRow(String mcc, Instant cutoff, Collection<Payment> payments) {
        List<Payment> recent = within(payments, cutoff.toEpochMilli(), MCC_WINDOW);
        if (recent.isEmpty()) {
            return null;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        putSpread(values, recent, FraudFeatures.suffix(MCC_WINDOW));
        return new FeatureRow(mcc, cutoff, values);
    }

    /**
     * How a payment compares with its customer's and its category's habits.
     *
     * @param customerPayments   the customer's payments in each of {@link #CUSTOMER_WINDOWS} before today
     * @param customerZScores    (amount - mean) / standard deviation of each window (NaN with fewer than 2 or no spread)
     * @param amountToMean90d    amount / the 90-day mean (NaN without one)
     * @param nightShare90d      the share of the customer's payments at night (NaN without any)
     * @param weekendShare90d    the share at weekends (NaN without any)
     * @param mccZScore30d       the amount's z-score among the category's payments of 30 days (NaN when unknown)
     */
    public record Features(List<Long> customerPayments, List<Double> customerZScores, double amountToMean90d,
                           double nightShare90d, double weekendShare90d, double mccZScore30d) {

        public Features {
            customerPayments = List.copyOf(customerPayments);
            customerZScores = List.copyOf(customerZScores);
        }
    }

    /** The features of a payment of {@code amount} from the customer's and the category's rows (null when absent). */
    public static Features features(FeatureRow customerRow, FeatureRow mccRow, double amount) {
        List<Long> payments = new ArrayList<>();
        List<Double> zScores = new ArrayList<>();
        for (Duration window : CUSTOMER_WINDOWS) {
            String suffix = FraudFeatures.suffix(window);
            payments.add(customerRow == null ? 0 : (long) customerRow.getDouble(paymentsFeature(suffix), 0));
            zScores.add(zScore(customerRow, suffix, amount));
        }
        double mean90 = customerRow == null ? Double.NaN : customerRow.getDouble(meanFeature(FraudFeatures.suffix(LONGEST)), Double.NaN);
        return new Features(payments, zScores, mean90 > 0 ? amount / mean90 : Double.NaN,
                customerRow == null ? Double.NaN : customerRow.getDouble(NIGHT_SHARE, Double.NaN),
                customerRow == null ? Double.NaN : customerRow.getDouble(WEEKEND_SHARE, Double.NaN),
                zScore(mccRow, FraudFeatures.suffix(MCC_WINDOW), amount));
    }

    private static double zScore(FeatureRow row, String suffix, double amount) {
        if (row == null || row.getDouble(paymentsFeature(suffix), 0) < 2) {
            return Double.NaN;
        }
        double std = row.getDouble(stdFeature(suffix), 0);
        return std > 0 ? (amount - row.getDouble(meanFeature(suffix), Double.NaN)) / std : Double.NaN;
    }

    static String paymentsFeature(String suffix) {
        return "payments_" + suffix;
    }

    static String meanFeature(String suffix) {
        return "amount_mean_" + suffix;
    }

    static String stdFeature(String suffix) {
        return "amount_std_" + suffix;
    }

    static List<Feature> paymentLogFeatures() {
        return List.of(
                new Feature("customer_id", ValueType.STRING, "who paid"),
                new Feature("merchant_id", ValueType.STRING, "whom"),
                new Feature("mcc", ValueType.STRING, "the merchant category code, absent when the payment had none"),
                new Feature("amount", ValueType.DOUBLE, "how much"));
    }

    static List<Feature> customerFeatures() {
        List<Feature> features = new ArrayList<>();
        for (Duration window : CUSTOMER_WINDOWS) {
            features.addAll(spreadFeatures(FraudFeatures.suffix(window), "the customer's payments in the " + window.toDays()
                    + " days before the day"));
        }
        features.add(new Feature(NIGHT_SHARE, ValueType.DOUBLE, "the share of those of 90 days paid at night (00-06 UTC)"));
        features.add(new Feature(WEEKEND_SHARE, ValueType.DOUBLE, "the share of those of 90 days paid on a Saturday or Sunday"));
        return features;
    }

    static List<Feature> mccFeatures() {
        return spreadFeatures(FraudFeatures.suffix(MCC_WINDOW), "the category's payments in the 30 days before the day");
    }

    private static List<Feature> spreadFeatures(String suffix, String what) {
        return List.of(
                new Feature(paymentsFeature(suffix), ValueType.LONG, "how many of " + what),
                new Feature(meanFeature(suffix), ValueType.DOUBLE, "their mean amount (absent without any)"),
                new Feature(stdFeature(suffix), ValueType.DOUBLE, "the population standard deviation of their amounts"));
    }

    private static void putSpread(Map<String, Object> values, List<Payment> payments, String suffix) {
        values.put(paymentsFeature(suffix), (long) payments.size());
        if (payments.isEmpty()) {
            return;
        }
        double mean = payments.stream().mapToDouble(Payment::amount).sum() / payments.size();
        double squares = payments.stream().mapToDouble(p -> (p.amount() - mean) * (p.amount() - mean)).sum();
        values.put(meanFeature(suffix), mean);
        values.put(stdFeature(suffix), Math.sqrt(squares / payments.size()));
    }

    private static List<Payment> within(Collection<Payment> payments, long cutoffMillis, Duration window) {
        long from = cutoffMillis - window.toMillis();
        return payments.stream().filter(p -> p.epochMillis() >= from && p.epochMillis() < cutoffMillis).toList();
    }

    private static ZonedDateTime utc(Payment payment) {
        return Instant.ofEpochMilli(payment.epochMillis()).atZone(ZoneOffset.UTC);
    }
}
