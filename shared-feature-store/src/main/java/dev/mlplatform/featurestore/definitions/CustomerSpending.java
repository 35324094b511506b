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
 * 30 days, each also in the same season a year before, as of the start of each day (UTC), computed from the
 * payment log in the offline store ({@link FraudFeatures#PAYMENT_LOG}) and materialized to the online store
 * once a day.
 *
 * <p>Long windows change little within a day, so a daily batch over the offline store serves them at a
 * fraction of a streaming job's state: per customer, the count, mean and spread of the amounts, the share of
 * payments at night and at weekends (time-of-day and day-of-week habits); per merchant category, the mean and
 * spread of its amounts. The service scores a payment against them ({@link #features}): how unusual its amount
 * is for the customer and for the category, whether the customer pays at this time of day and week.
 *
 * <p>Seasonality beyond the week is yearly: the {@link #LAST_YEAR_SEASON} window holds the 30 days around the
 * same date a year before, so a customer's December is compared with their last December rather than with
 * their November, and the category's seasonal index says how much busier it was then than over that year.
 * Until the log holds a year, these read as missing.
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
    /** The merchant category's year, the base of its seasonal index. */
    public static final Duration YEAR = Duration.ofDays(365);
    /**
     * The same season a year before: the 30 days centred on the date 365 days before the cutoff,
     * {@code [cutoff - 380 d, cutoff - 350 d)}.
     */
    public static final Window LAST_YEAR_SEASON = new Window(Duration.ofDays(380), Duration.ofDays(350));
    /** Night is 00:00 to 05:59 UTC, as the transaction's own {@code is_night}. */
    static final int NIGHT_END_HOUR = 6;

    static final String NIGHT_SHARE = "night_share_90d";
    static final String WEEKEND_SHARE = "weekend_share_90d";
    static final String SEASON = "last_year_season";
    static final String PAYMENTS_YEAR = "payments_365d";

    private static final Duration LONGEST = CUSTOMER_WINDOWS.get(CUSTOMER_WINDOWS.size() - 1);
    /**
     * The recent payments a customer's row reads: the longest window and the day before it. Customers with a
     * payment in that day only get a row too, of zeros: it replaces their last row online the day their last
     * payment leaves every window. The same holds for the day before the {@link #LAST_YEAR_SEASON}.
     */
    private static final Duration CUSTOMER_SPAN = LONGEST.plusDays(1);
    /** How far back any customer row reads: the last-year season and the day before it. */
    public static final Duration CUSTOMER_HORIZON = LAST_YEAR_SEASON.from().plusDays(1);
    /** The last-year season and the day before it: a customer paying then gets a row, of zeros the next day. */
    private static final Window SEASON_AND_DAY_BEFORE = new Window(CUSTOMER_HORIZON, LAST_YEAR_SEASON.to());
    /** How far back a category's row reads: its year and the last-year season. */
    public static final Duration MCC_HORIZON = LAST_YEAR_SEASON.from();

    /** A span of time before a cutoff: {@code [cutoff - from, cutoff - to)}. */
    public record Window(Duration from, Duration to) {

        boolean contains(long epochMillis, long cutoffMillis) {
            return epochMillis >= cutoffMillis - from.toMillis() && epochMillis < cutoffMillis - to.toMillis();
        }
    }

    /**
     * The customer rows as of a cutoff (bound to every {@code ?}): one per customer with a payment in the
     * 91 days before it or in the last-year season and its day before. Columns: the entity id, then each
     * feature by name; a NULL leaves the feature out. Windows are in hours, as in Java: a day interval would
     * follow the session's daylight-saving time.
     */
    public static final String CUSTOMER_SQL = """
            WITH payments AS (
                SELECT feature_values ->> 'customer_id' AS customer_id,
                       (feature_values ->> 'amount')::float8 AS amount,
                       event_time,
                       event_time >= ?::timestamptz - interval '168 hours' AS in_7d,
                       event_time >= ?::timestamptz - interval '720 hours' AS in_30d,
                       event_time >= ?::timestamptz - interval '2160 hours' AS in_90d,
                       event_time >= ?::timestamptz - interval '9120 hours'
                           AND event_time < ?::timestamptz - interval '8400 hours' AS in_season
                  FROM featurestore.feature_log
                 WHERE view_id = 'payment_log:v1'
                   AND event_time >= ?::timestamptz - interval '9144 hours'
                   AND event_time < ?::timestamptz
                   AND (event_time >= ?::timestamptz - interval '2184 hours'
                        OR event_time < ?::timestamptz - interval '8400 hours'))
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
                       FILTER (WHERE in_90d) AS weekend_share_90d,
                   count(*) FILTER (WHERE in_season) AS payments_last_year_season,
                   avg(amount) FILTER (WHERE in_season) AS amount_mean_last_year_season,
                   stddev_pop(amount) FILTER (WHERE in_season) AS amount_std_last_year_season
              FROM payments
             GROUP BY customer_id""";

    /**
     * The merchant-category rows as of a cutoff (bound to every {@code ?}): one per category paid in the 380
     * days before it. It reads a year of payments; at the seed's scale that scan is too large to repeat daily,
     * and daily totals per category would take its place.
     */
    public static final String MCC_SQL = """
            WITH payments AS (
                SELECT feature_values ->> 'mcc' AS mcc,
                       (feature_values ->> 'amount')::float8 AS amount,
                       event_time >= ?::timestamptz - interval '720 hours' AS in_30d,
                       event_time >= ?::timestamptz - interval '8760 hours' AS in_year,
                       event_time < ?::timestamptz - interval '8400 hours' AS in_season
                  FROM featurestore.feature_log
                 WHERE view_id = 'payment_log:v1'
                   AND feature_values ->> 'mcc' IS NOT NULL
                   AND event_time >= ?::timestamptz - interval '9120 hours'
                   AND event_time < ?::timestamptz)
            SELECT mcc,
                   count(*) FILTER (WHERE in_30d) AS payments_30d,
                   avg(amount) FILTER (WHERE in_30d) AS amount_mean_30d,
                   stddev_pop(amount) FILTER (WHERE in_30d) AS amount_std_30d,
                   count(*) FILTER (WHERE in_year) AS payments_365d,
                   count(*) FILTER (WHERE in_season) AS payments_last_year_season,
                   avg(amount) FILTER (WHERE in_season) AS amount_mean_last_year_season,
                   stddev_pop(amount) FILTER (WHERE in_season) AS amount_std_last_year_season
              FROM payments
             GROUP BY mcc""";

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
     * in the 91 days before it nor in the last-year season and its day before: what {@link #CUSTOMER_SQL} gives.
     */
    public static FeatureRow customerRow(String customerId, Instant cutoff, Collection<Payment> payments) {
        long c = cutoff.toEpochMilli();
        List<Payment> population = payments.stream()
                .filter(p -> within(p, c, CUSTOMER_SPAN) || SEASON_AND_DAY_BEFORE.contains(p.epochMillis(), c))
                .toList();
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
        putSpread(values, within(population, c, LAST_YEAR_SEASON), SEASON);
        return new FeatureRow(customerId, cutoff, values);
    }

    /** Each category's row as of {@code cutoff} from all payments: what {@link #MCC_SQL} gives. */
    public static List<FeatureRow> mccRows(Instant cutoff, Collection<Payment> payments) {
        Map<String, List<Payment>> byMcc = new HashMap<>();
        for (Payment payment : within(payments, cutoff.toEpochMilli(), MCC_HORIZON)) {
            if (payment.mcc() != null) {
                byMcc.computeIfAbsent(payment.mcc(), mcc -> new ArrayList<>()).add(payment);
            }
        }
        List<FeatureRow> rows = new ArrayList<>();
        byMcc.forEach((mcc, mccPayments) -> rows.add(mccRow(mcc, cutoff, mccPayments)));
        return rows;
    }

    /** One category's row as of {@code cutoff} from its payments, or null when none lies in the 380 days before it. */
    public static FeatureRow mccRow(String mcc, Instant cutoff, Collection<Payment> payments) {
        long c = cutoff.toEpochMilli();
        List<Payment> population = within(payments, c, MCC_HORIZON);
        if (population.isEmpty()) {
            return null;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        putSpread(values, within(population, c, MCC_WINDOW), FraudFeatures.suffix(MCC_WINDOW));
        values.put(PAYMENTS_YEAR, (long) within(population, c, YEAR).size());
        putSpread(values, within(population, c, LAST_YEAR_SEASON), SEASON);
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
     * @param customerPaymentsLastYearSeason the customer's payments in the same season a year before
     * @param customerZScoreLastYearSeason   the amount's z-score among them (NaN with fewer than 2)
     * @param mccZScoreLastYearSeason        the amount's z-score among the category's payments then (NaN when unknown)
     * @param mccSeasonalIndex  the category's daily payments in the last-year season over its daily payments in
     *                          the year: above 1 for a busy season (NaN without payments then)
     */
    public record Features(List<Long> customerPayments, List<Double> customerZScores, double amountToMean90d,
                           double nightShare90d, double weekendShare90d, double mccZScore30d,
                           long customerPaymentsLastYearSeason, double customerZScoreLastYearSeason,
                           double mccZScoreLastYearSeason, double mccSeasonalIndex) {

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
                zScore(mccRow, FraudFeatures.suffix(MCC_WINDOW), amount),
                customerRow == null ? 0 : (long) customerRow.getDouble(paymentsFeature(SEASON), 0),
                zScore(customerRow, SEASON, amount), zScore(mccRow, SEASON, amount), seasonalIndex(mccRow));
    }

    private static double seasonalIndex(FeatureRow mccRow) {
        double season = mccRow == null ? 0 : mccRow.getDouble(paymentsFeature(SEASON), 0);
        double year = mccRow == null ? 0 : mccRow.getDouble(PAYMENTS_YEAR, 0);
        if (season == 0 || year == 0) {
            return Double.NaN;
        }
        Duration seasonLength = LAST_YEAR_SEASON.from().minus(LAST_YEAR_SEASON.to());
        return (season / seasonLength.toDays()) / (year / YEAR.toDays());
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
        features.addAll(spreadFeatures(SEASON, "the customer's payments in the 30 days around the same date a year before"));
        return features;
    }

    static List<Feature> mccFeatures() {
        List<Feature> features = new ArrayList<>(spreadFeatures(FraudFeatures.suffix(MCC_WINDOW),
                "the category's payments in the 30 days before the day"));
        features.add(new Feature(PAYMENTS_YEAR, ValueType.LONG, "how many of the category's payments in the 365 days before the day"));
        features.addAll(spreadFeatures(SEASON, "the category's payments in the 30 days around the same date a year before"));
        return features;
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
        return payments.stream().filter(p -> within(p, cutoffMillis, window)).toList();
    }

    private static boolean within(Payment payment, long cutoffMillis, Duration window) {
        return payment.epochMillis() >= cutoffMillis - window.toMillis() && payment.epochMillis() < cutoffMillis;
    }

    private static List<Payment> within(Collection<Payment> payments, long cutoffMillis, Window window) {
        return payments.stream().filter(p -> window.contains(p.epochMillis(), cutoffMillis)).toList();
    }

    private static ZonedDateTime utc(Payment payment) {
        return Instant.ofEpochMilli(payment.epochMillis()).atZone(ZoneOffset.UTC);
    }
}
