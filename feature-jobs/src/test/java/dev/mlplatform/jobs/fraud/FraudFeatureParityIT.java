package dev.mlplatform.jobs.fraud;

import static dev.mlplatform.jobs.fraud.Transactions.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.FraudLabel;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.definitions.DistinctCards;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.definitions.MerchantRisk;
import dev.mlplatform.featurestore.definitions.WindowedVelocity.Tally;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.jobs.common.DeadLetter;
import dev.mlplatform.featurestore.definitions.CardActivity;
import dev.mlplatform.simulators.fraud.LabelledTransaction;
import dev.mlplatform.simulators.fraud.SimulationConfig;
import dev.mlplatform.simulators.fraud.TransactionSimulator;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Training/serving consistency of the whole job: simulated days of traffic (customers paying at merchants
 * near home, online payments from their devices, card-testing bursts from new devices far away; every
 * fifth transaction without a location) and the simulated frauds' labels, reported up to three days late,
 * run through the job on a MiniCluster at parallelism 2 in random order, and every view it streams must
 * hold exactly the rows the offline replay computes from the same transactions and labels, entity by entity
 * and in event-time order.
 */
class FraudFeatureParityIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final int DAYS = 3;
    private static final SimulationConfig SIMULATION = SimulationConfig.of(60, 200, LocalDate.of(2026, 2, 2), 42);

    @Test
    void everyViewHoldsExactlyTheRowsOfTheOfflineReplay() throws Exception {
        List<LabelledTransaction> simulated = new TransactionSimulator(SIMULATION).generate(DAYS);
        List<TransactionEvent> transactions = withSomeUnlocated(simulated);
        List<FraudLabel> labels = reportedLate(simulated);
        assertThat(transactions).hasSizeGreaterThan(200);
        assertThat(transactions).anyMatch(t -> t.deviceId() == null).anyMatch(t -> t.deviceId() != null)
                .anyMatch(t -> t.location() == null);

        List<String> records = new ArrayList<>(transactions.stream().map(EventJson.MAPPER::writeValueAsString).toList());
        Collections.shuffle(records, new Random(7));
        DataGeneratorSource<String> source = new DataGeneratorSource<>(
                index -> records.get(index.intValue()), records.size(), Types.STRING);
        List<String> labelRecords = new ArrayList<>(labels.stream().map(EventJson.MAPPER::writeValueAsString).toList());
        Collections.shuffle(labelRecords, new Random(8));
        DataGeneratorSource<String> labelSource = new DataGeneratorSource<>(
                index -> labelRecords.get(index.intValue()), labelRecords.size(), Types.STRING);
        Map<FeatureView, CollectingSink<FeatureRow>> features = CollectingSink.forEachView();
        CollectingSink<TransactionEvent> late = new CollectingSink<>();
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        // The bound covers the whole data set, so the random order makes no transaction late: the end of
        // input moves the watermark past everything, and each row is computed from every transaction before it.
        FraudFeatureJob job = new FraudFeatureJob(source, labelSource, features, late, deadLetters,
                Duration.ofDays(DAYS + 1), Duration.ZERO, Duration.ofMinutes(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        job.execute(env);

        assertThat(late.received()).isEmpty();
        assertThat(deadLetters.received()).isEmpty();
        assertParity(features, FraudFeatures.CARD_VELOCITY,
                velocityReplay(transactions, t -> token(t.cardNumber()), FraudFeatures.cardVelocity()::replay));
        assertParity(features, FraudFeatures.CUSTOMER_VELOCITY,
                velocityReplay(transactions, TransactionEvent::customerId, FraudFeatures.entityVelocity()::replay));
        assertParity(features, FraudFeatures.DEVICE_VELOCITY,
                velocityReplay(transactions, TransactionEvent::deviceId, FraudFeatures.entityVelocity()::replay));
        assertParity(features, FraudFeatures.MERCHANT_VELOCITY,
                velocityReplay(transactions, TransactionEvent::merchantId, FraudFeatures.entityVelocity()::replay));

        List<FeatureRow> cardRows = new ArrayList<>();
        List<FeatureRow> cardDeviceRows = new ArrayList<>();
        groupBy(transactions, t -> token(t.cardNumber()), CardActivity.Payment::of).forEach((card, payments) -> {
            CardActivity.Rows replay = CardActivity.replay(card, payments);
            cardRows.addAll(replay.card());
            cardDeviceRows.addAll(replay.cardDevice());
        });
        assertParity(features, FraudFeatures.CARD_ACTIVITY, byEntity(cardRows));
        assertParity(features, FraudFeatures.CARD_DEVICE_HISTORY, byEntity(cardDeviceRows));
        // Stolen cards tried from a new device (the bursts): some cards used two devices within 30 days.
        assertThat(cardRows).anyMatch(row -> (long) row.values().get("devices_30d") >= 2);

        Map<String, List<FraudLabel>> labelsByMerchant = new LinkedHashMap<>();
        labels.forEach(label -> labelsByMerchant.computeIfAbsent(label.merchantId(), id -> new ArrayList<>()).add(label));
        Map<String, List<FeatureRow>> merchantRisk = new LinkedHashMap<>();
        groupBy(transactions, TransactionEvent::merchantId, t -> t.timestamp().toEpochMilli()).forEach((merchant, payments) ->
                merchantRisk.put(merchant, MerchantRisk.replay(merchant, payments, labelsByMerchant.getOrDefault(merchant, List.of()))));
        assertParity(features, FraudFeatures.MERCHANT_RISK, merchantRisk);
        assertParity(features, FraudFeatures.DEVICE_CARDS, cardsReplay(transactions, TransactionEvent::deviceId));
        Map<String, List<FeatureRow>> merchantCards = cardsReplay(transactions, TransactionEvent::merchantId);
        assertParity(features, FraudFeatures.MERCHANT_CARDS, merchantCards);
        assertThat(merchantCards.values()).flatMap(rows -> rows).anyMatch(row -> (long) row.values().get("cards_1d") >= 2);
        assertThat(merchantRisk.values()).flatMap(rows -> rows).anyMatch(row -> (long) row.values().get("known_frauds_1d") >= 1);
    }

    /**
     * A label for each simulated fraud, reported up to three days after it: within the out-of-orderness bound,
     * so that however the sources interleave no label comes behind the watermark.
     */
    private static List<FraudLabel> reportedLate(List<LabelledTransaction> simulated) {
        Random random = new Random(5);
        return simulated.stream().filter(LabelledTransaction::fraud).map(LabelledTransaction::transaction)
                .map(t -> new FraudLabel(t.transactionId(), t.merchantId(), t.timestamp(),
                        t.timestamp().plusSeconds(random.nextInt(3 * 24 * 3600))))
                .toList();
    }

    /** The simulator's transactions, every fifth one stripped of its location. */
    private static List<TransactionEvent> withSomeUnlocated(List<LabelledTransaction> simulated) {
        List<TransactionEvent> transactions = new ArrayList<>(simulated.size());
        for (int i = 0; i < simulated.size(); i++) {
            TransactionEvent t = simulated.get(i).transaction();
            transactions.add(i % 5 != 0 ? t : new TransactionEvent(t.transactionId(), t.cardNumber(), t.cardToken(),
                    t.customerId(), t.merchantId(), t.terminalId(), t.mcc(), t.amount(), t.currency(), t.timestamp(),
                    t.channel(), t.deviceId(), t.ip(), null, t.country(), t.authentication()));
        }
        return transactions;
    }

    /** Each entity's rows as the offline replay computes them from its transactions; transactions without the entity count for none. */
    private static Map<String, List<FeatureRow>> velocityReplay(
            List<TransactionEvent> transactions, Function<TransactionEvent, String> entity,
            BiFunction<String, Collection<Tally>, List<FeatureRow>> replay) {
        Map<String, List<FeatureRow>> rows = new LinkedHashMap<>();
        groupBy(transactions, entity, t -> Tally.of(t.timestamp(), t.amount()))
                .forEach((id, tallies) -> rows.put(id, replay.apply(id, tallies)));
        assertThat(rows).isNotEmpty();
        return rows;
    }

    private static <T> Map<String, List<T>> groupBy(List<TransactionEvent> transactions,
                                                    Function<TransactionEvent, String> entity,
                                                    Function<TransactionEvent, T> value) {
        Map<String, List<T>> groups = new LinkedHashMap<>();
        transactions.stream().filter(t -> entity.apply(t) != null).forEach(t ->
                groups.computeIfAbsent(entity.apply(t), id -> new ArrayList<>()).add(value.apply(t)));
        return groups;
    }

    /** Each device's or merchant's distinct-card rows as the offline replay computes them. */
    private static Map<String, List<FeatureRow>> cardsReplay(List<TransactionEvent> transactions,
                                                             Function<TransactionEvent, String> entity) {
        Map<String, List<FeatureRow>> rows = new LinkedHashMap<>();
        groupBy(transactions, entity, t -> new DistinctCards.CardPayment(token(t.cardNumber()), t.timestamp().toEpochMilli()))
                .forEach((id, payments) -> rows.put(id, DistinctCards.replay(id, payments)));
        return rows;
    }

    /** Rows by entity, each entity's in the order given: the job emits one entity's rows in event-time order. */
    private static Map<String, List<FeatureRow>> byEntity(List<FeatureRow> rows) {
        Map<String, List<FeatureRow>> byEntity = new LinkedHashMap<>();
        rows.forEach(row -> byEntity.computeIfAbsent(row.entityId(), id -> new ArrayList<>()).add(row));
        return byEntity;
    }

    private static void assertParity(Map<FeatureView, CollectingSink<FeatureRow>> features, FeatureView view,
                                     Map<String, List<FeatureRow>> replay) {
        Map<String, List<FeatureRow>> streamed = byEntity(Objects.requireNonNull(features.get(view)).received());
        assertThat(streamed.keySet()).as(view.id() + " entities").isEqualTo(replay.keySet());
        streamed.forEach((entity, rows) -> assertThat(rows).as(view.id() + " rows of " + entity)
                .containsExactlyElementsOf(replay.get(entity)));
    }
}
