package dev.mlplatform.fraud.model;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.definitions.CardActivity;
import dev.mlplatform.featurestore.definitions.CustomerSpending;
import dev.mlplatform.featurestore.definitions.DistinctCards;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.definitions.MerchantRisk;
import dev.mlplatform.fraud.features.PublicHolidays;
import dev.mlplatform.fraud.features.StreamedFeatures;
import dev.mlplatform.fraud.features.VelocityFeatures;
import java.time.DayOfWeek;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The model's input, built by one method for training and for serving, so that the two can never
 * disagree on a feature's meaning or position: the transaction's own attributes, the card's velocity
 * over 1 min / 5 min / 1 h and ratios between them, the velocity of its customer, device and merchant
 * over 1 min / 5 min / 1 h / 1 day, device novelty, the card's distinct devices (30 days) and merchants
 * (1 day), the travel since the card's previous located
 * payment ({@link StreamedFeatures}, this transaction included), and the merchant's payments and labelled
 * fraud rate over 1, 7 and 30 days before the label delay with the days since its last known fraud, and
 * (daily batch) the amount against the customer's 7/30/90-day spending and the category's, with the
 * customer's night and weekend habits, and against both in the same season a year before, with the
 * category's seasonal index; whether the day is a public holiday in the payment's country
 * ({@link PublicHolidays}). Times are read in UTC; a value that
 * does not apply (a device's velocity without a device, travel without a previous location) is NaN,
 * a missing value for the GBDT.
 */
public final class FraudFeatureVector {

    private static final List<String> ENTITY_FEATURES = FraudFeatures.entityVelocity().windows().stream()
            .flatMap(window -> Stream.of(FraudFeatures.entityVelocity().countFeature(window),
                    FraudFeatures.entityVelocity().amountFeature(window)))
            .toList();

    /** Feature names in input order; recorded with every trained model and checked when one is loaded. */
    public static final List<String> NAMES = Stream.of(
            Stream.of("amount", "log_amount", "hour_of_day", "is_night", "is_weekend",
                    "channel_ecommerce", "channel_pos", "channel_contactless", "channel_atm", "channel_moto",
                    "tx_count_1m", "tx_amount_1m", "tx_count_5m", "tx_amount_5m", "tx_count_1h", "tx_amount_1h",
                    "amount_to_mean_1h", "mean_amount_5m", "count_1m_share_of_1h"),
            ENTITY_FEATURES.stream().map(name -> "customer_" + name),
            ENTITY_FEATURES.stream().map(name -> "device_" + name),
            ENTITY_FEATURES.stream().map(name -> "merchant_" + name),
            Stream.of("device_new_for_card", "card_devices_30d", "card_merchants_1d", "km_from_previous_payment",
                    "kmh_from_previous_payment"),
            FraudFeatures.DEVICE_CARDS.featureNames().stream().map(name -> "device_" + name),
            FraudFeatures.MERCHANT_CARDS.featureNames().stream().map(name -> "merchant_" + name),
            MerchantRisk.WINDOWS.stream().map(window -> "merchant_known_tx_" + window.toDays() + "d"),
            MerchantRisk.WINDOWS.stream().map(window -> "merchant_known_fraud_rate_" + window.toDays() + "d"),
            Stream.of("merchant_days_since_known_fraud"),
            CustomerSpending.CUSTOMER_WINDOWS.stream().map(window -> "customer_payments_" + window.toDays() + "d"),
            CustomerSpending.CUSTOMER_WINDOWS.stream().map(window -> "customer_amount_zscore_" + window.toDays() + "d"),
            Stream.of("customer_amount_to_mean_90d", "customer_night_share_90d", "customer_weekend_share_90d",
                    "mcc_amount_zscore_30d", "customer_payments_last_year_season",
                    "customer_amount_zscore_last_year_season", "mcc_amount_zscore_last_year_season",
                    "mcc_seasonal_index", "public_holiday")
    ).flatMap(names -> names).toList();

    public static final int SIZE = NAMES.size();

    private static final List<String> CHANNELS = List.of("ecommerce", "pos", "contactless", "atm", "moto");

    private FraudFeatureVector() {
    }

    /** The features of a (validated) transaction with what the feature job knows of it. */
    public static float[] of(TransactionEvent transaction, StreamedFeatures streamed) {
        double amount = transaction.amount().doubleValue();
        ZonedDateTime time = transaction.timestamp().atZone(ZoneOffset.UTC);
        int hour = time.getHour();
        DayOfWeek day = time.getDayOfWeek();
        VelocityFeatures velocity = streamed.card();
        float[] x = new float[SIZE];
        x[0] = (float) amount;
        x[1] = (float) Math.log1p(amount);
        x[2] = hour;
        x[3] = hour < 6 ? 1 : 0;
        x[4] = day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY ? 1 : 0;
        int channel = transaction.channel() == null ? -1 : CHANNELS.indexOf(transaction.channel());
        if (channel >= 0) {
            x[5 + channel] = 1;
        }
        x[10] = velocity.count1m();
        x[11] = (float) velocity.amount1m();
        x[12] = velocity.count5m();
        x[13] = (float) velocity.amount5m();
        x[14] = velocity.count1h();
        x[15] = (float) velocity.amount1h();
        x[16] = (float) ratio(amount, velocity.amount1h() / Math.max(1, velocity.count1h()));
        x[17] = (float) (velocity.amount5m() / Math.max(1, velocity.count5m()));
        x[18] = (float) ratio(velocity.count1m(), velocity.count1h());
        int i = 19;
        for (Map<String, Object> entity : Arrays.asList(streamed.customer(), streamed.device(), streamed.merchant())) {
            for (String name : ENTITY_FEATURES) {
                x[i++] = entity == null ? Float.NaN : ((Number) entity.get(name)).floatValue();
            }
        }
        CardActivity.Features activity = streamed.activity();
        x[i++] = (float) activity.newDevice();
        x[i++] = activity.devices30d();
        x[i++] = activity.merchants1d();
        x[i++] = (float) activity.distanceKm();
        x[i++] = (float) activity.speedKmh();
        for (int w = 0; w < DistinctCards.WINDOWS.size(); w++) {
            x[i++] = streamed.deviceCards() == null ? Float.NaN : streamed.deviceCards().get(w);
        }
        for (long cards : streamed.merchantCards()) {
            x[i++] = cards;
        }
        MerchantRisk.Features risk = streamed.merchantRisk();
        for (long transactions : risk.transactions()) {
            x[i++] = transactions;
        }
        for (double rate : risk.fraudRates()) {
            x[i++] = (float) rate;
        }
        x[i++] = (float) risk.daysSinceFraud();
        CustomerSpending.Features spending = streamed.spending();
        for (long payments : spending.customerPayments()) {
            x[i++] = payments;
        }
        for (double zScore : spending.customerZScores()) {
            x[i++] = (float) zScore;
        }
        x[i++] = (float) spending.amountToMean90d();
        x[i++] = (float) spending.nightShare90d();
        x[i++] = (float) spending.weekendShare90d();
        x[i++] = (float) spending.mccZScore30d();
        x[i++] = spending.customerPaymentsLastYearSeason();
        x[i++] = (float) spending.customerZScoreLastYearSeason();
        x[i++] = (float) spending.mccZScoreLastYearSeason();
        x[i++] = (float) spending.mccSeasonalIndex();
        x[i] = (float) PublicHolidays.isHoliday(transaction.country(), time.toLocalDate());
        return x;
    }

    /** The vector by feature name, to log with the decision. */
    public static Map<String, Double> asMap(float[] vector) {
        if (vector.length != SIZE) {
            throw new IllegalArgumentException("expected " + SIZE + " features, got " + vector.length);
        }
        Map<String, Double> named = new LinkedHashMap<>();
        for (int i = 0; i < SIZE; i++) {
            named.put(NAMES.get(i), (double) vector[i]);
        }
        return named;
    }

    /** The index of a feature in the vector. */
    public static int indexOf(String name) {
        int index = NAMES.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no feature named " + name);
        }
        return index;
    }

    private static double ratio(double numerator, double denominator) {
        return denominator > 0 ? numerator / denominator : 0;
    }
}
