package dev.mlplatform.jobs.fraud;

import static dev.mlplatform.jobs.fraud.Transactions.AMEX;
import static dev.mlplatform.jobs.fraud.Transactions.MASTERCARD;
import static dev.mlplatform.jobs.fraud.Transactions.VISA;
import static dev.mlplatform.jobs.fraud.Transactions.token;
import static dev.mlplatform.jobs.fraud.Transactions.tokenized;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.definitions.WindowedVelocity.Tally;
import dev.mlplatform.featurestore.registry.FeatureRow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link VelocityFunction} as the card velocity (keyed by card token, reporting late events) and as the
 * customer velocity (one day's window more, dropping late events).
 */
class VelocityFunctionTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private KeyedFunctionHarness<FeatureRow> cardVelocity;
    private KeyedOneInputStreamOperatorTestHarness<String, TransactionEvent, FeatureRow> harness;

    @BeforeEach
    void openHarness() throws Exception {
        cardVelocity = KeyedFunctionHarness.open(new VelocityFunction(FraudFeatures.cardVelocity(), true, Duration.ZERO),
                TransactionEvent::cardKey);
        harness = cardVelocity.harness;
    }

    @AfterEach
    void closeHarness() throws Exception {
        cardVelocity.close();
    }

    @Test
    void emitsExactRowsInEventTimeOrderDespiteOutOfOrderArrival() throws Exception {
        send(tokenized("tx-3", VISA, T0.plusSeconds(40), "30.00"));
        send(tokenized("tx-1", VISA, T0, "10.00"));
        send(tokenized("tx-2", VISA, T0.plusSeconds(20), "20.00"));

        // Nothing is final until the watermark passes it.
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processWatermark(T0.plusSeconds(40).toEpochMilli());

        String card = token(VISA);
        assertThat(harness.extractOutputValues()).containsExactly(
                row(card, T0, 1, 10.0, 1, 10.0, 1, 10.0),
                row(card, T0.plusSeconds(20), 2, 30.0, 2, 30.0, 2, 30.0),
                row(card, T0.plusSeconds(40), 3, 60.0, 3, 60.0, 3, 60.0));
    }

    @Test
    void updatesTheRowWhenATransactionLeavesAWindowAndForgetsAnIdleCard() throws Exception {
        send(tokenized("tx-2", VISA, T0.plusSeconds(30), "20.00"));
        send(tokenized("tx-1", VISA, T0, "10.00"));

        harness.processWatermark(T0.plus(Duration.ofHours(2)).toEpochMilli());

        String card = token(VISA);
        assertThat(harness.extractOutputValues()).containsExactly(
                row(card, T0, 1, 10.0, 1, 10.0, 1, 10.0),
                row(card, T0.plusSeconds(30), 2, 30.0, 2, 30.0, 2, 30.0),
                row(card, T0.plusSeconds(60), 1, 20.0, 2, 30.0, 2, 30.0),
                row(card, T0.plusSeconds(90), 0, 0.0, 2, 30.0, 2, 30.0),
                row(card, T0.plusSeconds(300), 0, 0.0, 1, 20.0, 2, 30.0),
                row(card, T0.plusSeconds(330), 0, 0.0, 0, 0.0, 2, 30.0),
                row(card, T0.plusSeconds(3600), 0, 0.0, 0, 0.0, 1, 20.0),
                row(card, T0.plusSeconds(3630), 0, 0.0, 0, 0.0, 0, 0.0));
        // The output carries each row's event time as its Flink timestamp.
        assertThat(harness.extractOutputStreamRecords()).allSatisfy(record ->
                assertThat(record.getTimestamp()).isEqualTo(((FeatureRow) record.getValue()).eventTime().toEpochMilli()));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void sendsEventsBehindTheWatermarkToTheSideOutputWithoutCountingThem() throws Exception {
        send(tokenized("tx-1", VISA, T0, "10.00"));
        harness.processWatermark(T0.plusSeconds(10).toEpochMilli());

        TransactionEvent late = tokenized("tx-late", VISA, T0.plusSeconds(5), "99.00");
        TransactionEvent atWatermark = tokenized("tx-at-watermark", VISA, T0.plusSeconds(10), "98.00");
        send(late);
        send(atWatermark);
        send(tokenized("tx-2", VISA, T0.plusSeconds(11), "1.00"));
        harness.processWatermark(T0.plusSeconds(11).toEpochMilli());

        assertThat(harness.getSideOutput(FraudFeatureJob.LATE_EVENTS))
                .extracting(StreamRecord::getValue).containsExactly(late, atWatermark);
        assertThat(cardVelocity.count(FraudFeatureJob.LATE_EVENTS_DROPPED)).isZero();
        assertThat(harness.extractOutputValues()).last()
                .isEqualTo(row(token(VISA), T0.plusSeconds(11), 2, 11.0, 2, 11.0, 2, 11.0));
    }

    @Test
    void keepsCardsApartAndMatchesTheOfflineReplayRowForRow() throws Exception {
        List<TransactionEvent> visa = List.of(
                tokenized("v-3", VISA, T0.plusSeconds(61), "3.00"),
                tokenized("v-1", VISA, T0, "1.00"),
                tokenized("v-2", VISA, T0.plusMillis(59_999), "2.00"),
                tokenized("v-4", VISA, T0.plusSeconds(61), "4.00"));
        List<TransactionEvent> mastercard = List.of(
                tokenized("m-1", MASTERCARD, T0.plusSeconds(30), "100.00"),
                tokenized("m-2", MASTERCARD, T0.plusSeconds(400), "0.01"));
        for (int i = 0; i < 4; i++) {
            send(visa.get(i));
            if (i < mastercard.size()) {
                send(mastercard.get(i));
            }
        }
        harness.processWatermark(Long.MAX_VALUE);

        List<FeatureRow> rows = harness.extractOutputValues();
        assertThat(rows).filteredOn(row -> row.entityId().equals(token(VISA)))
                .containsExactlyElementsOf(FraudFeatures.cardVelocity().replay(token(VISA), tallies(visa)));
        assertThat(rows).filteredOn(row -> row.entityId().equals(token(MASTERCARD)))
                .containsExactlyElementsOf(FraudFeatures.cardVelocity().replay(token(MASTERCARD), tallies(mastercard)));
        // Two transactions in the same millisecond make one row that counts both.
        assertThat(rows).contains(row(token(VISA), T0.plusSeconds(61), 3, 9.0, 4, 10.0, 4, 10.0));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void keepsACustomersTransactionsForADayAndCountsTheLateOnesItDrops() throws Exception {
        try (KeyedFunctionHarness<FeatureRow> customerVelocity = KeyedFunctionHarness.open(
                new VelocityFunction(FraudFeatures.entityVelocity(), false, Duration.ZERO), TransactionEvent::customerId)) {
            // Two cards of one customer, out of order; a third card of another customer.
            TransactionEvent first = tokenized("c-1", VISA, T0, "10.00");
            TransactionEvent second = tokenized("c-2", VISA, T0.plus(Duration.ofHours(3)), "30.00");
            TransactionEvent ofMastercard = withCustomer(
                    tokenized("c-3", MASTERCARD, T0.plusSeconds(30), "5.00"), first.customerId());
            TransactionEvent ofOtherCustomer = withCustomer(tokenized("o-1", AMEX, T0.plusSeconds(10), "7.00"), "other");
            for (TransactionEvent event : List.of(second, ofMastercard, ofOtherCustomer, first)) {
                customerVelocity.send(event);
            }
            customerVelocity.harness.processWatermark(T0.plusSeconds(60).toEpochMilli());
            TransactionEvent late = tokenized("c-late", VISA, T0.plusSeconds(45), "99.00");
            customerVelocity.send(late);
            customerVelocity.harness.processWatermark(Long.MAX_VALUE);

            String customer = first.customerId();
            List<FeatureRow> rows = customerVelocity.harness.extractOutputValues();
            assertThat(rows).filteredOn(row -> row.entityId().equals(customer)).containsExactlyElementsOf(
                    FraudFeatures.entityVelocity().replay(customer, tallies(List.of(first, second, ofMastercard))));
            assertThat(rows).filteredOn(row -> row.entityId().equals(customer)).contains(
                    new FeatureRow(customer, T0.plus(Duration.ofHours(3)), Map.of(
                            "tx_count_1m", 1L, "tx_amount_1m", 30.0, "tx_count_5m", 1L, "tx_amount_5m", 30.0,
                            "tx_count_1h", 1L, "tx_amount_1h", 30.0, "tx_count_1d", 3L, "tx_amount_1d", 45.0)),
                    // The day's window: the first transaction leaves it a day later.
                    new FeatureRow(customer, T0.plus(Duration.ofDays(1)), Map.of(
                            "tx_count_1m", 0L, "tx_amount_1m", 0.0, "tx_count_5m", 0L, "tx_amount_5m", 0.0,
                            "tx_count_1h", 0L, "tx_amount_1h", 0.0, "tx_count_1d", 2L, "tx_amount_1d", 35.0)));
            assertThat(rows).filteredOn(row -> row.entityId().equals("other")).containsExactlyElementsOf(
                    FraudFeatures.entityVelocity().replay("other", tallies(List.of(ofOtherCustomer))));

            assertThat(customerVelocity.harness.getSideOutput(FraudFeatureJob.LATE_EVENTS)).isNull();
            assertThat(customerVelocity.count(FraudFeatureJob.LATE_EVENTS_DROPPED)).isEqualTo(1);
            assertThat(customerVelocity.harness.numKeyedStateEntries()).isZero();
            assertThat(customerVelocity.harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void countsATransactionWithinTheAllowedLatenessEmittingTheRowsItChangesAgain() throws Exception {
        try (KeyedFunctionHarness<FeatureRow> lenient = KeyedFunctionHarness.open(
                new VelocityFunction(FraudFeatures.cardVelocity(), true, Duration.ofMinutes(10)), TransactionEvent::cardKey)) {
            TransactionEvent first = tokenized("tx-1", VISA, T0, "10.00");
            TransactionEvent third = tokenized("tx-3", VISA, T0.plusSeconds(90), "30.00");
            lenient.send(first);
            lenient.send(third);
            lenient.harness.processWatermark(T0.plusSeconds(120).toEpochMilli());
            String card = token(VISA);
            assertThat(lenient.harness.extractOutputValues()).extracting(FeatureRow::eventTime)
                    .containsExactly(T0, T0.plusSeconds(60), T0.plusSeconds(90));

            // 90 s behind the watermark: within the 10 minutes allowed. 9 minutes before the first: too late.
            TransactionEvent late = tokenized("tx-2", VISA, T0.plusSeconds(30), "20.00");
            TransactionEvent tooLate = tokenized("tx-0", VISA, T0.minus(Duration.ofMinutes(9)), "5.00");
            lenient.send(late);
            lenient.send(tooLate);

            // The rows already out that the late transaction changes, at once: its own, and those after it.
            assertThat(lenient.harness.extractOutputValues()).extracting(FeatureRow::eventTime).containsExactly(
                    T0, T0.plusSeconds(60), T0.plusSeconds(90), T0.plusSeconds(30), T0.plusSeconds(60), T0.plusSeconds(90));
            lenient.harness.processWatermark(Long.MAX_VALUE);

            // The latest row of each instant, as the stores keep them, is the replay of every counted transaction.
            Map<Instant, FeatureRow> latest = new TreeMap<>();
            lenient.harness.extractOutputValues().forEach(row -> latest.put(row.eventTime(), row));
            assertThat(latest.values()).containsExactlyElementsOf(FraudFeatures.cardVelocity().replay(card, tallies(List.of(first, late, third))));
            assertThat(latest.get(T0.plusSeconds(60))).isEqualTo(row(card, T0.plusSeconds(60), 1, 20.0, 2, 30.0, 2, 30.0));
            assertThat(lenient.harness.getSideOutput(FraudFeatureJob.LATE_EVENTS))
                    .extracting(StreamRecord::getValue).containsExactly(tooLate);
            assertThat(lenient.count(FraudFeatureJob.LATE_EVENTS_CORRECTED)).isEqualTo(1);
            assertThat(lenient.harness.numKeyedStateEntries()).isZero();
            assertThat(lenient.harness.numEventTimeTimers()).isZero();
        }
    }

    private void send(TransactionEvent event) throws Exception {
        cardVelocity.send(event);
    }

    private static TransactionEvent withCustomer(TransactionEvent event, String customerId) {
        return new TransactionEvent(event.transactionId(), event.cardNumber(), event.cardToken(), customerId,
                event.merchantId(), event.terminalId(), event.mcc(), event.amount(), event.currency(), event.timestamp(),
                event.channel(), event.deviceId(), event.ip(), event.location(), event.country(), event.authentication());
    }

    private static List<Tally> tallies(List<TransactionEvent> events) {
        return events.stream().map(e -> Tally.of(e.timestamp(), e.amount())).toList();
    }

    static FeatureRow row(String card, Instant at, long count1m, double amount1m, long count5m, double amount5m,
                          long count1h, double amount1h) {
        return new FeatureRow(card, at, Map.of(
                "tx_count_1m", count1m, "tx_amount_1m", amount1m,
                "tx_count_5m", count5m, "tx_amount_5m", amount5m,
                "tx_count_1h", count1h, "tx_amount_1h", amount1h));
    }
}
