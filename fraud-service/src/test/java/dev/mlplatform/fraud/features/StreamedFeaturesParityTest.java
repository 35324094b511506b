package dev.mlplatform.fraud.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.FraudLabel;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.definitions.CardActivity;
import dev.mlplatform.featurestore.definitions.CustomerSpending;
import dev.mlplatform.featurestore.definitions.DistinctCards;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.definitions.MerchantRisk;
import dev.mlplatform.featurestore.definitions.WindowedVelocity;
import dev.mlplatform.featurestore.definitions.WindowedVelocity.Tally;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.simulators.fraud.LabelledTransaction;
import dev.mlplatform.simulators.fraud.SimulationConfig;
import dev.mlplatform.simulators.fraud.TransactionSimulator;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Training/serving parity without a cluster: for five weeks of simulated payments, the features the
 * service computes from the rows the feature job writes (each view's latest row before the payment,
 * as the online store holds it) equal the features training replays from the history. The job's
 * rows themselves are proven equal to these replays on a Flink MiniCluster in feature-jobs.
 */
class StreamedFeaturesParityTest {

    private static List<LabelledTransaction> simulated;
    private static List<TransactionEvent> history;

    @BeforeAll
    static void simulate() {
        SimulationConfig config = SimulationConfig.of(150, 300, LocalDate.of(2026, 2, 1), 11);
        simulated = new TransactionSimulator(config).generate(35);
        history = simulated.stream().map(LabelledTransaction::transaction).toList();
    }

    /** Each simulated fraud reported at once, as training reads the simulator's labels. */
    private static FraudLabel labelOf(TransactionEvent fraud) {
        return new FraudLabel(fraud.transactionId(), fraud.merchantId(), fraud.timestamp(), fraud.timestamp());
    }

    /** One view's rows as the job writes them, by entity and event time. */
    private static final class JobRows {
        private final Map<String, NavigableMap<Long, FeatureRow>> byEntity = new HashMap<>();

        JobRows(List<FeatureRow> rows) {
            rows.forEach(row -> byEntity.computeIfAbsent(row.entityId(), id -> new TreeMap<>())
                    .put(row.eventTime().toEpochMilli(), row));
        }

        /** What the online store holds just before an event at {@code epochMillis}. */
        FeatureRow before(String entityId, long epochMillis) {
            NavigableMap<Long, FeatureRow> rows = entityId == null ? null : byEntity.get(entityId);
            Map.Entry<Long, FeatureRow> latest = rows == null ? null : rows.lowerEntry(epochMillis);
            return latest == null ? null : latest.getValue();
        }
    }

    private static JobRows velocityRows(WindowedVelocity arithmetic, Function<TransactionEvent, String> key) {
        Map<String, List<Tally>> tallies = new HashMap<>();
        for (TransactionEvent tx : history) {
            if (key.apply(tx) != null) {
                tallies.computeIfAbsent(key.apply(tx), id -> new ArrayList<>()).add(Tally.of(tx.timestamp(), tx.amount()));
            }
        }
        List<FeatureRow> rows = new ArrayList<>();
        tallies.forEach((entity, entityTallies) -> rows.addAll(arithmetic.replay(entity, entityTallies)));
        return new JobRows(rows);
    }

    private static JobRows cardsRows(Function<TransactionEvent, String> key) {
        Map<String, List<DistinctCards.CardPayment>> payments = new HashMap<>();
        for (TransactionEvent tx : history) {
            if (key.apply(tx) != null) {
                payments.computeIfAbsent(key.apply(tx), id -> new ArrayList<>())
                        .add(new DistinctCards.CardPayment(tx.cardNumber(), tx.timestamp().toEpochMilli()));
            }
        }
        List<FeatureRow> rows = new ArrayList<>();
        payments.forEach((entity, entityPayments) -> rows.addAll(DistinctCards.replay(entity, entityPayments)));
        return new JobRows(rows);
    }

    @Test
    void servingFromTheJobsRowsGivesTheFeaturesTrainingReplays() {
        JobRows cardVelocity = velocityRows(FraudFeatures.cardVelocity(), TransactionEvent::cardNumber);
        JobRows customerVelocity = velocityRows(FraudFeatures.entityVelocity(), TransactionEvent::customerId);
        JobRows deviceVelocity = velocityRows(FraudFeatures.entityVelocity(), TransactionEvent::deviceId);
        JobRows merchantVelocity = velocityRows(FraudFeatures.entityVelocity(), TransactionEvent::merchantId);
        Map<String, List<CardActivity.Payment>> payments = new HashMap<>();
        history.forEach(tx -> payments.computeIfAbsent(tx.cardNumber(), card -> new ArrayList<>())
                .add(CardActivity.Payment.of(tx)));
        List<FeatureRow> cardRows = new ArrayList<>();
        List<FeatureRow> cardDeviceRows = new ArrayList<>();
        payments.forEach((card, cardPayments) -> {
            CardActivity.Rows rows = CardActivity.replay(card, cardPayments);
            cardRows.addAll(rows.card());
            cardDeviceRows.addAll(rows.cardDevice());
        });
        JobRows cardActivity = new JobRows(cardRows);
        JobRows cardDevice = new JobRows(cardDeviceRows);
        Map<String, List<Long>> merchantPayments = new HashMap<>();
        Map<String, List<FraudLabel>> merchantLabels = new HashMap<>();
        for (LabelledTransaction labelled : simulated) {
            TransactionEvent tx = labelled.transaction();
            merchantPayments.computeIfAbsent(tx.merchantId(), id -> new ArrayList<>()).add(tx.timestamp().toEpochMilli());
            if (labelled.fraud()) {
                merchantLabels.computeIfAbsent(tx.merchantId(), id -> new ArrayList<>()).add(labelOf(tx));
            }
        }
        List<FeatureRow> merchantRows = new ArrayList<>();
        merchantPayments.forEach((merchant, times) -> merchantRows.addAll(
                MerchantRisk.replay(merchant, times, merchantLabels.getOrDefault(merchant, List.of()))));
        JobRows merchantRisk = new JobRows(merchantRows);
        JobRows deviceCards = cardsRows(TransactionEvent::deviceId);
        JobRows merchantCards = cardsRows(TransactionEvent::merchantId);
        // The daily batch: every customer's and category's row as of each day's start.
        List<CustomerSpending.Payment> spent = history.stream().map(CustomerSpending.Payment::of).toList();
        Map<String, List<CustomerSpending.Payment>> spentByCustomer = new HashMap<>();
        spent.forEach(p -> spentByCustomer.computeIfAbsent(p.customerId(), id -> new ArrayList<>()).add(p));
        List<FeatureRow> customerRows = new ArrayList<>();
        List<FeatureRow> mccRows = new ArrayList<>();
        Instant first = CustomerSpending.cutoffOf(history.get(0).timestamp().toEpochMilli());
        for (Instant cutoff = first; !cutoff.isAfter(history.get(history.size() - 1).timestamp()); cutoff = cutoff.plus(Duration.ofDays(1))) {
            Instant asOf = cutoff;
            spentByCustomer.forEach((customer, own) -> {
                FeatureRow row = CustomerSpending.customerRow(customer, asOf, own);
                if (row != null) {
                    customerRows.add(row);
                }
            });
            mccRows.addAll(CustomerSpending.mccRows(cutoff, spent));
        }
        JobRows customerSpending = new JobRows(customerRows);
        JobRows mccSpending = new JobRows(mccRows);

        StreamedFeatureReplay training = new StreamedFeatureReplay();
        int newDevices = 0;
        int travelled = 0;
        int manyMerchants = 0;
        int knownFraudMerchants = 0;
        int unusualAmounts = 0;
        int busyMerchants = 0;
        for (LabelledTransaction labelled : simulated) {
            TransactionEvent tx = labelled.transaction();
            long t = tx.timestamp().toEpochMilli();
            String card = tx.cardNumber();
            StreamedFeatures served = StreamedFeatures.fromRows(tx, cardVelocity.before(card, t),
                    customerVelocity.before(tx.customerId(), t), deviceVelocity.before(tx.deviceId(), t),
                    merchantVelocity.before(tx.merchantId(), t), cardActivity.before(card, t),
                    tx.deviceId() == null ? null : cardDevice.before(CardActivity.cardDeviceKey(card, tx.deviceId()), t),
                    deviceCards.before(tx.deviceId(), t), merchantCards.before(tx.merchantId(), t),
                    merchantRisk.before(tx.merchantId(), t), customerSpending.before(tx.customerId(), t),
                    mccSpending.before(tx.mcc(), t));

            StreamedFeatures replayed = training.next(tx);
            if (labelled.fraud()) {
                training.label(labelOf(tx));
            }

            assertThat(served).as("features of %s", tx.transactionId()).isEqualTo(replayed);
            newDevices += served.activity().newDevice() > 0 ? 1 : 0;
            travelled += served.activity().distanceKm() > 500 ? 1 : 0;
            manyMerchants += served.activity().merchants1d() >= 4 ? 1 : 0;
            knownFraudMerchants += served.merchantRisk().fraudRates().get(0) > 0 ? 1 : 0;
            unusualAmounts += served.spending().customerZScores().get(1) > 3 ? 1 : 0;
            busyMerchants += served.merchantCards().get(1) >= 3 ? 1 : 0;
        }
        // The simulated card-testing bursts come from new devices far from home: the features see them.
        assertThat(history).hasSizeGreaterThan(10_000);
        assertThat(newDevices).isGreaterThan(150);
        assertThat(travelled).isGreaterThan(20);
        assertThat(manyMerchants).isGreaterThan(20);
        // Compromised terminals keep defrauding for weeks: a week after, their fraud is known.
        assertThat(knownFraudMerchants).isGreaterThan(50);
        // Compromised cards spend about five times the usual amount.
        assertThat(unusualAmounts).isGreaterThan(20);
        assertThat(busyMerchants).isGreaterThan(100);
    }
}
