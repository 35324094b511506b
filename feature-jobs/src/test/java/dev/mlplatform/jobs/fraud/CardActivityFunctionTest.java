package dev.mlplatform.jobs.fraud;

import static dev.mlplatform.jobs.fraud.Transactions.VISA;
import static dev.mlplatform.jobs.fraud.Transactions.token;
import static dev.mlplatform.jobs.fraud.Transactions.tokenized;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.core.events.TransactionEvent.GeoPoint;
import dev.mlplatform.featurestore.definitions.CardActivity;
import dev.mlplatform.featurestore.registry.FeatureRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CardActivityFunctionTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration DAYS_30 = CardActivity.DEVICE_WINDOW;
    private static final GeoPoint PARIS = new GeoPoint(48.85, 2.35);
    private static final GeoPoint WARSAW = new GeoPoint(52.23, 21.01);
    private static final GeoPoint LISBON = new GeoPoint(38.72, -9.14);

    private final String card = token(VISA);
    private KeyedFunctionHarness<FeatureRow> activity;

    @BeforeEach
    void openHarness() throws Exception {
        activity = KeyedFunctionHarness.open(new CardActivityFunction(Duration.ZERO), TransactionEvent::cardKey);
    }

    @AfterEach
    void closeHarness() throws Exception {
        activity.close();
    }

    @Test
    void emitsTheRowsOfTheOfflineReplayInEventTimeOrderDespiteOutOfOrderArrival() throws Exception {
        List<TransactionEvent> payments = List.of(
                atMerchant(payment("p-3", T0.plus(Duration.ofHours(1)), "dev-b", WARSAW), "m-other"),
                payment("p-1", T0, "dev-a", PARIS),
                payment("p-4", T0.plus(Duration.ofDays(2)), "dev-a", LISBON),
                payment("p-2", T0.plus(Duration.ofMinutes(10)), null, null));
        for (TransactionEvent payment : payments) {
            activity.send(payment);
        }
        // Nothing is final until the watermark passes it.
        assertThat(activity.harness.extractOutputValues()).isEmpty();

        activity.harness.processWatermark(Long.MAX_VALUE);

        List<FeatureRow> rows = activity.harness.extractOutputValues();
        CardActivity.Rows replay = CardActivity.replay(card, payments.stream().map(CardActivity.Payment::of).toList());
        assertThat(rows).containsExactlyElementsOf(replay.card());
        assertThat(cardDeviceRows(activity)).containsExactlyElementsOf(replay.cardDevice());

        // A row at each payment, when it leaves the day's window and when each device payment leaves the
        // 30 days, whether or not the merchant or device was used again since (then the count stays).
        Duration day = Duration.ofDays(1);
        assertThat(rows).extracting(FeatureRow::eventTime).containsExactly(T0, T0.plus(Duration.ofMinutes(10)),
                T0.plus(Duration.ofHours(1)), T0.plus(day), T0.plus(day).plusSeconds(600), T0.plus(day).plusSeconds(3600),
                T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofDays(3)), T0.plus(DAYS_30),
                T0.plus(Duration.ofHours(1)).plus(DAYS_30), T0.plus(Duration.ofDays(2)).plus(DAYS_30));
        assertThat(rows).extracting(row -> row.values().get("devices_30d"))
                .containsExactly(1L, 1L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 1L, 0L);
        assertThat(rows).extracting(row -> row.values().get("merchants_1d"))
                .containsExactly(1L, 1L, 2L, 2L, 1L, 0L, 1L, 0L, 0L, 0L, 0L);
        assertThat(rows.get(1).values()).as("a payment without device or location")
                .containsEntry("last_payment_millis", millis(T0.plus(Duration.ofMinutes(10))))
                .containsEntry("last_located_millis", millis(T0)).doesNotContainKey("previous_located_millis");
        assertThat(rows.get(6).values()).as("the last two located payments")
                .containsEntry("last_located_millis", millis(T0.plus(Duration.ofDays(2))))
                .containsEntry("last_lat", LISBON.lat()).containsEntry("last_lon", LISBON.lon())
                .containsEntry("previous_located_millis", millis(T0.plus(Duration.ofHours(1))))
                .containsEntry("previous_lat", WARSAW.lat()).containsEntry("previous_lon", WARSAW.lon());
        assertThat(cardDeviceRows(activity)).containsExactly(
                cardDeviceRow("dev-a", T0, T0, T0, 1),
                cardDeviceRow("dev-b", T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(1)),
                        T0.plus(Duration.ofHours(1)), 1),
                cardDeviceRow("dev-a", T0.plus(Duration.ofDays(2)), T0, T0.plus(Duration.ofDays(2)), 2));

        // DEVICE_MEMORY after the last payment the card is forgotten: no state, no timer left.
        assertThat(activity.harness.numKeyedStateEntries()).isZero();
        assertThat(activity.harness.numEventTimeTimers()).isZero();
        assertThat(activity.count(FraudFeatureJob.LATE_EVENTS_DROPPED)).isZero();
    }

    @Test
    void dropsAndCountsPaymentsBehindTheWatermark() throws Exception {
        TransactionEvent first = payment("p-1", T0, "dev-a", PARIS);
        TransactionEvent next = payment("p-2", T0.plusSeconds(11), null, WARSAW);
        activity.send(first);
        activity.harness.processWatermark(T0.plusSeconds(10).toEpochMilli());

        activity.send(payment("p-late", T0.plusSeconds(5), "dev-z", LISBON));
        activity.send(payment("p-at-watermark", T0.plusSeconds(10), "dev-z", LISBON));
        activity.send(next);
        activity.harness.processWatermark(Long.MAX_VALUE);

        assertThat(activity.count(FraudFeatureJob.LATE_EVENTS_DROPPED)).isEqualTo(2);
        CardActivity.Rows replay = CardActivity.replay(card, List.of(
                CardActivity.Payment.of(first), CardActivity.Payment.of(next)));
        assertThat(activity.harness.extractOutputValues()).containsExactlyElementsOf(replay.card());
        assertThat(cardDeviceRows(activity)).containsExactlyElementsOf(replay.cardDevice())
                .extracting(FeatureRow::entityId).containsOnly(CardActivity.cardDeviceKey(card, "dev-a"));
        assertThat(activity.harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aPaymentWithinTheAllowedLatenessCorrectsTheRowsAlreadyOutAndCountsFromItsInstant() throws Exception {
        activity.close();
        activity = KeyedFunctionHarness.open(new CardActivityFunction(Duration.ofMinutes(10)), TransactionEvent::cardKey);
        TransactionEvent first = payment("p-1", T0, "dev-a", PARIS);
        TransactionEvent third = payment("p-3", T0.plus(Duration.ofMinutes(5)), "dev-a", WARSAW);
        TransactionEvent late = payment("p-2", T0.plus(Duration.ofMinutes(2)), "dev-b", LISBON);
        activity.send(first);
        activity.send(third);
        activity.harness.processWatermark(T0.plus(Duration.ofMinutes(6)).toEpochMilli());
        assertThat(activity.harness.extractOutputValues()).extracting(FeatureRow::eventTime)
                .containsExactly(T0, T0.plus(Duration.ofMinutes(5)));

        activity.send(late);
        activity.send(payment("p-too-late", T0.minus(Duration.ofMinutes(5)), "dev-z", LISBON));
        activity.harness.processWatermark(Long.MAX_VALUE);

        List<FeatureRow> rows = activity.harness.extractOutputValues();
        CardActivity.Rows replay = CardActivity.replay(card, List.of(
                CardActivity.Payment.of(first), CardActivity.Payment.of(late), CardActivity.Payment.of(third)));
        // The row at 5 min went out without the late payment, then again with it; the late payment's own
        // row followed. The last row of each instant is the replay's.
        assertThat(rows).extracting(FeatureRow::eventTime).startsWith(T0, T0.plus(Duration.ofMinutes(5)),
                T0.plus(Duration.ofMinutes(5)), T0.plus(Duration.ofMinutes(2)));
        assertThat(rows.get(1).values()).containsEntry("devices_30d", 1L);
        assertThat(rows.get(2)).isEqualTo(replay.card().get(2));
        assertThat(rows.get(2).values()).containsEntry("devices_30d", 2L)
                .containsEntry("previous_located_millis", millis(T0.plus(Duration.ofMinutes(2))));
        assertThat(lastOfEachInstant(rows)).containsExactlyElementsOf(replay.card());
        assertThat(lastOfEachInstant(cardDeviceRows(activity))).containsExactlyInAnyOrderElementsOf(replay.cardDevice());
        assertThat(activity.count(FraudFeatureJob.LATE_EVENTS_CORRECTED)).isEqualTo(1);
        assertThat(activity.count(FraudFeatureJob.LATE_EVENTS_DROPPED)).isEqualTo(1);
        assertThat(activity.harness.numKeyedStateEntries()).isZero();
        assertThat(activity.harness.numEventTimeTimers()).isZero();
    }

    /** The last row of each entity and instant, in instant order: what the offline log keeps after corrections. */
    private static List<FeatureRow> lastOfEachInstant(List<FeatureRow> rows) {
        Map<String, FeatureRow> last = new LinkedHashMap<>();
        rows.forEach(row -> last.put(row.entityId() + '@' + row.eventTime(), row));
        return last.values().stream().sorted(Comparator.comparing(FeatureRow::eventTime)).toList();
    }

    @Test
    void carriesItsStateAcrossARestoreAndDropsWhatIsBehindTheCardsLastRow() throws Exception {
        TransactionEvent first = payment("p-1", T0, "dev-a", PARIS);
        TransactionEvent second = payment("p-2", T0.plus(Duration.ofHours(1)), "dev-b", WARSAW);
        TransactionEvent third = payment("p-3", T0.plus(Duration.ofDays(2)), "dev-a", LISBON);
        activity.send(first);
        activity.send(second);
        activity.harness.processWatermark(T0.plus(Duration.ofMinutes(30)).toEpochMilli());
        List<FeatureRow> rows = new ArrayList<>(activity.harness.extractOutputValues());
        List<FeatureRow> cardDeviceRows = new ArrayList<>(cardDeviceRows(activity));
        OperatorSubtaskState snapshot = activity.harness.snapshot(1, 1);

        try (KeyedFunctionHarness<FeatureRow> restored = KeyedFunctionHarness.restore(
                new CardActivityFunction(Duration.ZERO), TransactionEvent::cardKey, snapshot)) {
            // A restored operator's watermark starts from the beginning of time; the card's row at T0 is out.
            restored.send(payment("p-before-last-row", T0.minusSeconds(60), "dev-z", LISBON));
            restored.send(third);
            restored.harness.processWatermark(Long.MAX_VALUE);
            rows.addAll(restored.harness.extractOutputValues());
            cardDeviceRows.addAll(cardDeviceRows(restored));

            assertThat(restored.count(FraudFeatureJob.LATE_EVENTS_DROPPED)).isEqualTo(1);
            assertThat(restored.harness.numKeyedStateEntries()).isZero();
            assertThat(restored.harness.numEventTimeTimers()).isZero();
        }
        CardActivity.Rows replay = CardActivity.replay(card, List.of(
                CardActivity.Payment.of(first), CardActivity.Payment.of(second), CardActivity.Payment.of(third)));
        assertThat(rows).containsExactlyElementsOf(replay.card());
        assertThat(cardDeviceRows).containsExactlyElementsOf(replay.cardDevice());
    }

    /** A payment of the VISA card from {@code deviceId} at {@code location}, either of which may be absent. */
    private static TransactionEvent payment(String id, Instant time, String deviceId, GeoPoint location) {
        TransactionEvent event = tokenized(id, VISA, time, "10.00");
        return new TransactionEvent(event.transactionId(), event.cardNumber(), event.cardToken(), event.customerId(),
                event.merchantId(), event.terminalId(), event.mcc(), event.amount(), event.currency(), event.timestamp(),
                event.channel(), deviceId, event.ip(), location, event.country(), event.authentication());
    }

    private static TransactionEvent atMerchant(TransactionEvent event, String merchantId) {
        return new TransactionEvent(event.transactionId(), event.cardNumber(), event.cardToken(), event.customerId(),
                merchantId, event.terminalId(), event.mcc(), event.amount(), event.currency(), event.timestamp(),
                event.channel(), event.deviceId(), event.ip(), event.location(), event.country(), event.authentication());
    }

    private FeatureRow cardDeviceRow(String deviceId, Instant at, Instant firstSeen, Instant lastSeen, long payments) {
        return new FeatureRow(CardActivity.cardDeviceKey(card, deviceId), at, Map.of(
                "first_seen_millis", millis(firstSeen), "last_seen_millis", millis(lastSeen), "payments", payments));
    }

    private static List<FeatureRow> cardDeviceRows(KeyedFunctionHarness<FeatureRow> activity) {
        Queue<StreamRecord<FeatureRow>> records = activity.harness.getSideOutput(CardActivityFunction.CARD_DEVICE_ROWS);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }

    private static long millis(Instant instant) {
        return instant.toEpochMilli();
    }
}
