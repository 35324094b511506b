package dev.mlplatform.fraud.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.FeatureStore;
import dev.mlplatform.featurestore.definitions.CardActivity;
import dev.mlplatform.featurestore.definitions.CustomerSpending;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.online.RedisOnlineStore;
import dev.mlplatform.featurestore.registry.Feature;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.featurestore.registry.ValueType;
import dev.mlplatform.fraud.Transactions;
import dev.mlplatform.testsupport.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GDPR erasure of a customer across the real Postgres (decisions, feature log) and Redis (online rows). */
class CustomerErasureIT {

    private static final DataSource DB = TestDatabase.migrated("fraud");
    private static final FeatureView VIEW = FraudFeatures.CARD_VELOCITY;
    private static final Instant T0 = Instant.parse("2026-02-01T09:30:00Z");

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String erased = "cust-erase-" + run;
    private final String kept = "cust-keep-" + run;
    private final JdbcDecisionStore decisions = new JdbcDecisionStore(DB, "fraud.decisions.v1");
    private final CustomerErasure erasure = new CustomerErasure(decisions, CustomerErasureIT::featureStore);

    @BeforeAll
    static void registerView() {
        FeatureStore.migrate(DB);
        try (FeatureStore store = featureStore()) {
            store.register(VIEW);
            store.register(FraudFeatures.CUSTOMER_VELOCITY);
            store.register(FraudFeatures.CARD_DEVICE_HISTORY);
            store.register(FraudFeatures.PAYMENT_LOG);
        }
    }

    private static FeatureStore featureStore() {
        return FeatureStore.using(DB, RedisOnlineStore.connect("redis://127.0.0.1:6379/0", Duration.ofSeconds(2)));
    }

    @AfterEach
    void cleanUp() {
        erasure.erase(kept);
    }

    @Test
    void removesTheCustomersDecisionsAndTheFeaturesOfThemTheirCardsAndDevicesAndNothingElse() {
        DecisionRecord first = decided(erased, "card-a-" + run);
        DecisionRecord second = decided(erased, "card-b-" + run);
        DecisionRecord other = decided(kept, "card-c-" + run);
        decisions.insertNew(List.of(first, second, other));
        List<String> cards = List.of(card(first), card(second), card(other));
        try (FeatureStore store = featureStore()) {
            store.write(VIEW, cards.stream().map(CustomerErasureIT::row).toList());
            store.write(FraudFeatures.CUSTOMER_VELOCITY, List.of(
                    new FeatureRow(erased, T0, Map.of("tx_count_1d", 2L)), new FeatureRow(kept, T0, Map.of("tx_count_1d", 1L))));
            store.write(FraudFeatures.CARD_DEVICE_HISTORY, List.of(new FeatureRow(cardDevice(first), T0,
                    Map.of("first_seen_millis", T0.toEpochMilli(), "last_seen_millis", T0.toEpochMilli(), "payments", 1L))));
            store.log(FraudFeatures.PAYMENT_LOG, List.of(CustomerSpending.paymentLogRow(first.transaction()),
                    CustomerSpending.paymentLogRow(other.transaction())));
        }

        CustomerErasure.Report report = erasure.erase(erased);

        assertThat(report.cards()).isEqualTo(2);
        assertThat(report.decisionsDeleted()).isEqualTo(2);
        assertThat(report.onlineRowsRemoved()).isEqualTo(4);
        assertThat(report.offlineRowsRemoved()).isEqualTo(5);
        assertThat(decisions.findAll(List.of(first.transactionId(), second.transactionId(), other.transactionId())))
                .containsOnlyKeys(other.transactionId());
        try (FeatureStore store = featureStore()) {
            assertThat(store.online().readBatch(VIEW, cards)).containsOnlyKeys(card(other));
            assertThat(store.offline().history(VIEW, card(first))).isEmpty();
            assertThat(store.offline().history(VIEW, card(second))).isEmpty();
            assertThat(store.offline().history(VIEW, card(other))).hasSize(1);
            assertThat(store.online().readBatch(FraudFeatures.CUSTOMER_VELOCITY, List.of(erased, kept))).containsOnlyKeys(kept);
            assertThat(store.online().readBatch(FraudFeatures.CARD_DEVICE_HISTORY, List.of(cardDevice(first)))).isEmpty();
            assertThat(store.offline().history(FraudFeatures.CARD_DEVICE_HISTORY, cardDevice(first))).isEmpty();
            assertThat(store.offline().history(FraudFeatures.PAYMENT_LOG, first.transactionId())).isEmpty();
            assertThat(store.offline().history(FraudFeatures.PAYMENT_LOG, other.transactionId())).hasSize(1);
        }
    }

    @Test
    void aSecondErasureFindsNothingLeft() {
        decisions.insertNew(List.of(decided(erased, "card-d-" + run)));
        erasure.erase(erased);

        CustomerErasure.Report again = erasure.erase(erased);

        assertThat(again).isEqualTo(new CustomerErasure.Report(erased, 0, 0, 0, 0));
    }

    private static String cardDevice(DecisionRecord record) {
        return CardActivity.cardDeviceKey(card(record), record.transaction().deviceId());
    }

    private static String card(DecisionRecord record) {
        return record.transaction().cardToken();
    }

    private static DecisionRecord decided(String customerId, String cardToken) {
        TransactionEvent base = Transactions.transaction("12.00", T0);
        TransactionEvent tx = new TransactionEvent(base.transactionId(), null, cardToken, customerId,
                base.merchantId(), base.terminalId(), base.mcc(), base.amount(), base.currency(), base.timestamp(),
                base.channel(), base.deviceId(), base.ip(), base.location(), base.country());
        return new DecisionRecord(new Decision(tx.transactionId(), Outcome.APPROVE, 0.1, List.of(), "fraud-gbdt:1",
                false, Instant.now().truncatedTo(ChronoUnit.MICROS)), tx, Map.of(), Source.REST,
                TransactionDigest.of(tx));
    }

    private static FeatureRow row(String cardToken) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Feature feature : VIEW.features()) {
            values.put(feature.name(), feature.type() == ValueType.LONG ? (Object) 1L : (Object) 12.0);
        }
        return new FeatureRow(cardToken, T0, values);
    }
}
