package dev.mlplatform.fraud.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.definitions.CustomerSpending;
import dev.mlplatform.featurestore.definitions.MerchantRisk;
import dev.mlplatform.fraud.features.StreamedFeatures;
import dev.mlplatform.fraud.features.VelocityFeatures;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FraudFeatureVectorTest {

    private static TransactionEvent tx(String amount, String time, String channel) {
        return new TransactionEvent("tx-1", null, "ct_a", "cust-1", "m-1", null, null, new BigDecimal(amount), "EUR",
                Instant.parse(time), channel, null, null, null, null);
    }

    private static float[] alone(TransactionEvent tx) {
        return FraudFeatureVector.of(tx, StreamedFeatures.ofTransactionOnly(tx));
    }

    private static float feature(float[] vector, String name) {
        return vector[FraudFeatureVector.indexOf(name)];
    }

    @Test
    void hasOneValuePerNamedFeature() {
        float[] v = alone(tx("10.00", "2026-03-04T10:00:00Z", "pos"));

        assertThat(v).hasSize(FraudFeatureVector.NAMES.size());
        assertThat(FraudFeatureVector.NAMES).doesNotHaveDuplicates();
    }

    @Test
    void describesTheTransactionItself() {
        float[] v = alone(tx("99.00", "2026-03-07T03:15:00Z", "ecommerce"));

        assertThat(feature(v, "amount")).isEqualTo(99f);
        assertThat(feature(v, "log_amount")).isCloseTo((float) Math.log(100), within(1e-6f));
        assertThat(feature(v, "hour_of_day")).isEqualTo(3f);
        assertThat(feature(v, "is_night")).isEqualTo(1f);
        assertThat(feature(v, "is_weekend")).isEqualTo(1f);
    }

    @Test
    void encodesTheChannelOneHot() {
        float[] pos = alone(tx("1.00", "2026-03-04T10:00:00Z", "pos"));
        float[] unknown = alone(tx("1.00", "2026-03-04T10:00:00Z", null));

        assertThat(feature(pos, "channel_pos")).isEqualTo(1f);
        assertThat(feature(pos, "channel_ecommerce") + feature(pos, "channel_contactless") + feature(pos, "channel_atm")
                + feature(pos, "channel_moto")).isZero();
        assertThat(feature(unknown, "channel_pos") + feature(unknown, "channel_ecommerce")).isZero();
        assertThat(feature(pos, "is_night")).isZero();
        assertThat(feature(pos, "is_weekend")).isZero();
    }

    @Test
    void carriesTheVelocityAndItsRatios() {
        VelocityFeatures velocity = new VelocityFeatures(2, 30, 4, 60, 8, 400);

        TransactionEvent tx = tx("150.00", "2026-03-04T10:00:00Z", "pos");
        StreamedFeatures alone = StreamedFeatures.ofTransactionOnly(tx);
        float[] v = FraudFeatureVector.of(tx, new StreamedFeatures(velocity, alone.customer(), alone.device(),
                alone.merchant(), alone.activity(), alone.deviceCards(), alone.merchantCards(), alone.merchantRisk(), alone.spending()));

        assertThat(feature(v, "tx_count_1m")).isEqualTo(2f);
        assertThat(feature(v, "tx_amount_5m")).isEqualTo(60f);
        assertThat(feature(v, "tx_count_1h")).isEqualTo(8f);
        assertThat(feature(v, "amount_to_mean_1h")).isEqualTo(3f);
        assertThat(feature(v, "mean_amount_5m")).isEqualTo(15f);
        assertThat(feature(v, "count_1m_share_of_1h")).isEqualTo(0.25f);
    }

    @Test
    void carriesTheDistinctCardsAndTheMerchantsKnownRisk() {
        TransactionEvent tx = tx("20.00", "2026-03-04T10:00:00Z", "pos");
        StreamedFeatures alone = StreamedFeatures.ofTransactionOnly(tx);
        MerchantRisk.Features risk = new MerchantRisk.Features(List.of(3L, 20L, 80L), List.of(1.0, 0.25, 0.05), 2.5);

        float[] v = FraudFeatureVector.of(tx, new StreamedFeatures(alone.card(), alone.customer(), alone.device(),
                alone.merchant(), alone.activity(), List.of(3L, 7L), List.of(40L, 300L), risk, alone.spending()));

        assertThat(feature(v, "device_cards_1h")).isEqualTo(3f);
        assertThat(feature(v, "merchant_cards_1d")).isEqualTo(300f);
        assertThat(feature(alone(tx), "device_cards_1d")).as("no device").isNaN();
        assertThat(feature(alone(tx), "merchant_cards_1h")).isZero();
        assertThat(feature(v, "merchant_known_tx_7d")).isEqualTo(20f);
        assertThat(feature(v, "merchant_known_fraud_rate_1d")).isEqualTo(1f);
        assertThat(feature(v, "merchant_known_fraud_rate_30d")).isEqualTo(0.05f);
        assertThat(feature(v, "merchant_days_since_known_fraud")).isEqualTo(2.5f);
        assertThat(feature(alone(tx), "merchant_known_tx_30d")).isZero();
        assertThat(feature(alone(tx), "merchant_days_since_known_fraud")).isNaN();
    }

    @Test
    void carriesTheAmountAgainstTheCustomersAndTheCategorysSpending() {
        TransactionEvent tx = tx("400.00", "2026-03-04T10:00:00Z", "pos");
        StreamedFeatures alone = StreamedFeatures.ofTransactionOnly(tx);
        CustomerSpending.Features spending = new CustomerSpending.Features(List.of(5L, 20L, 61L),
                List.of(4.0, 3.5, 3.0), 4.2, 0.1, 0.3, 2.0, 12, 0.5, -1.0, 1.8);

        float[] v = FraudFeatureVector.of(tx, new StreamedFeatures(alone.card(), alone.customer(), alone.device(),
                alone.merchant(), alone.activity(), alone.deviceCards(), alone.merchantCards(), alone.merchantRisk(), spending));

        assertThat(feature(v, "customer_payments_90d")).isEqualTo(61f);
        assertThat(feature(v, "customer_amount_zscore_30d")).isEqualTo(3.5f);
        assertThat(feature(v, "customer_amount_to_mean_90d")).isEqualTo(4.2f);
        assertThat(feature(v, "customer_weekend_share_90d")).isEqualTo(0.3f);
        assertThat(feature(v, "mcc_amount_zscore_30d")).isEqualTo(2f);
        assertThat(feature(v, "customer_payments_last_year_season")).isEqualTo(12f);
        assertThat(feature(v, "customer_amount_zscore_last_year_season")).isEqualTo(0.5f);
        assertThat(feature(v, "mcc_amount_zscore_last_year_season")).isEqualTo(-1f);
        assertThat(feature(v, "mcc_seasonal_index")).isEqualTo(1.8f);
        assertThat(feature(alone(tx), "customer_payments_7d")).isZero();
        assertThat(feature(alone(tx), "mcc_seasonal_index")).isNaN();
        assertThat(feature(alone(tx), "customer_amount_zscore_7d")).isNaN();
    }

    @Test
    void carriesThePublicHolidaysOfThePaymentsCountry() {
        TransactionEvent inParis = new TransactionEvent("tx-1", null, "ct_a", "cust-1", "m-1", null, null,
                new BigDecimal("20.00"), "EUR", Instant.parse("2026-07-14T10:00:00Z"), "pos", null, null, null, "FR");

        assertThat(feature(alone(inParis), "public_holiday")).isEqualTo(1f);
        assertThat(feature(alone(tx("20.00", "2026-07-14T10:00:00Z", "pos")), "public_holiday"))
                .as("no country").isNaN();
    }

    @Test
    void namesTheValuesForTheFeatureLog() {
        float[] v = alone(tx("5.00", "2026-03-04T10:00:00Z", "pos"));

        Map<String, Double> named = FraudFeatureVector.asMap(v);

        assertThat(named.keySet()).containsExactlyElementsOf(FraudFeatureVector.NAMES);
        assertThat(named).containsEntry("amount", 5.0).containsEntry("tx_count_1m", 1.0);
    }

    @Test
    void carriesTheCustomerDeviceAndMerchantVelocityAndTheCardActivity() {
        TransactionEvent tx = new TransactionEvent("tx-2", null, "ct_a", "cust-1", "m-1", null, null,
                new BigDecimal("20.00"), "EUR", Instant.parse("2026-03-04T10:00:00Z"), "ecommerce", "dev-9", null,
                new TransactionEvent.GeoPoint(48.85, 2.35), null);

        float[] v = alone(tx);

        assertThat(feature(v, "customer_tx_count_1d")).isEqualTo(1f);
        assertThat(feature(v, "device_tx_amount_1h")).isEqualTo(20f);
        assertThat(feature(v, "merchant_tx_count_1m")).isEqualTo(1f);
        assertThat(feature(v, "device_new_for_card")).isEqualTo(1f);
        assertThat(feature(v, "card_devices_30d")).isEqualTo(1f);
        assertThat(feature(v, "card_merchants_1d")).isEqualTo(1f);
        assertThat(feature(v, "km_from_previous_payment")).isNaN();
    }

    @Test
    void leavesTheDeviceVelocityMissingWithoutADevice() {
        float[] v = alone(tx("5.00", "2026-03-04T10:00:00Z", "pos"));

        assertThat(feature(v, "device_tx_count_1m")).isNaN();
        assertThat(feature(v, "device_new_for_card")).isZero();
        assertThat(feature(v, "customer_tx_count_1m")).isEqualTo(1f);
    }
}
