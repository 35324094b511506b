package dev.mlplatform.jobs.fraud;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.definitions.CardActivity;
import dev.mlplatform.featurestore.definitions.CardActivity.CardState;
import dev.mlplatform.featurestore.definitions.CardActivity.Payment;
import dev.mlplatform.featurestore.flink.FeatureRowTypeInfo;
import dev.mlplatform.featurestore.registry.FeatureRow;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The devices and locations of a card, keyed by its token: keeps a {@link CardState} and emits the card's
 * {@link dev.mlplatform.featurestore.definitions.FraudFeatures#CARD_ACTIVITY} row at each instant it
 * changes ({@link CardState#changeTimesOf}), with the
 * {@link dev.mlplatform.featurestore.definitions.FraudFeatures#CARD_DEVICE_HISTORY} rows of the devices
 * used at that instant on {@link #CARD_DEVICE_ROWS}.
 *
 * <p>A card state grows in event-time order, so payments wait in a buffer until an event-time timer,
 * that is the watermark, reaches them: every payment up to that instant has arrived, the rows are
 * exactly those of the offline replay (a state fed the payments in time order), and they come out in
 * event-time order. A payment behind the watermark, or behind the card's last row, is dropped and counted
 * in {@value FraudFeatureJob#LATE_EVENTS_DROPPED} (the card velocity reports it to the late topic).
 *
 * <p>The state is dropped {@link CardActivity#DEVICE_MEMORY} after the card's last payment, when it has
 * nothing left to remember ({@link CardState#forgottenAt}), by a timer of its own.
 */
final class CardActivityFunction extends KeyedProcessFunction<String, TransactionEvent, FeatureRow> {

    /** The {@link dev.mlplatform.featurestore.definitions.FraudFeatures#CARD_DEVICE_HISTORY} rows. */
    static final OutputTag<FeatureRow> CARD_DEVICE_ROWS = new OutputTag<>("card-device-rows", FeatureRowTypeInfo.INSTANCE);

    private static final long DEVICE_MEMORY_MILLIS = CardActivity.DEVICE_MEMORY.toMillis();

    private transient ValueState<CardState> cardState;
    private transient MapState<Long, List<Payment>> paymentsByMillis;
    private transient ValueState<Long> forgetAt;
    private transient ValueState<Long> rowsUntil;
    private transient Counter lateEventsDropped;

    @Override
    public void open(OpenContext openContext) {
        cardState = getRuntimeContext().getState(
                new ValueStateDescriptor<>("card-state", TypeInformation.of(CardState.class)));
        paymentsByMillis = getRuntimeContext().getMapState(new MapStateDescriptor<>("payments-by-millis",
                Types.LONG, Types.LIST(TypeInformation.of(Payment.class))));
        forgetAt = getRuntimeContext().getState(new ValueStateDescriptor<>("forget-at", Types.LONG));
        rowsUntil = getRuntimeContext().getState(new ValueStateDescriptor<>("rows-until", Types.LONG));
        lateEventsDropped = getRuntimeContext().getMetricGroup().counter(FraudFeatureJob.LATE_EVENTS_DROPPED);
    }

    @Override
    public void processElement(TransactionEvent event, Context ctx, Collector<FeatureRow> out) throws Exception {
        Payment payment = Payment.of(event);
        long time = payment.epochMillis();
        // Rows up to the watermark are already out, and the state cannot take a payment before its last.
        // After a restore the watermark starts again from the beginning of time, while the card's rows up
        // to its last timer are out: both bound what may still count.
        Long lastRow = rowsUntil.value();
        if (time <= ctx.timerService().currentWatermark() || (lastRow != null && time <= lastRow)) {
            lateEventsDropped.inc();
            return;
        }
        List<Payment> sameMillisecond = paymentsByMillis.get(time);
        List<Payment> payments = sameMillisecond == null ? new ArrayList<>() : new ArrayList<>(sameMillisecond);
        payments.add(payment);
        paymentsByMillis.put(time, payments);
        for (long changeTime : CardState.changeTimesOf(payment)) {
            ctx.timerService().registerEventTimeTimer(changeTime);
        }
        // One forget timer per card, after its latest payment: an earlier one would fire while the
        // card still has something to remember, at an instant that is no change time.
        Long forgetTime = forgetAt.value();
        if (forgetTime == null || time + DEVICE_MEMORY_MILLIS > forgetTime) {
            if (forgetTime != null) {
                ctx.timerService().deleteEventTimeTimer(forgetTime);
            }
            forgetAt.update(time + DEVICE_MEMORY_MILLIS);
            ctx.timerService().registerEventTimeTimer(time + DEVICE_MEMORY_MILLIS);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FeatureRow> out) throws Exception {
        CardState state = cardState.value();
        if (state == null) {
            state = new CardState();
        }
        List<Long> due = new ArrayList<>();
        for (long time : paymentsByMillis.keys()) {
            if (time <= timestamp) {
                due.add(time);
            }
        }
        due.sort(null);
        for (long time : due) {
            paymentsByMillis.get(time).forEach(state::add);
            paymentsByMillis.remove(time);
        }
        if (state.forgottenAt(timestamp) && paymentsByMillis.isEmpty()) {
            // The forget timer: the last payment is DEVICE_MEMORY behind. Never a change time (those are at
            // most DEVICE_WINDOW after a payment), so no row is due either.
            cardState.clear();
            forgetAt.clear();
            rowsUntil.clear();
            return;
        }
        String card = ctx.getCurrentKey();
        out.collect(state.cardRow(card, timestamp));
        for (FeatureRow row : state.cardDeviceRowsAt(card, timestamp)) {
            ctx.output(CARD_DEVICE_ROWS, row);
        }
        cardState.update(state);
        rowsUntil.update(timestamp);
    }
}
