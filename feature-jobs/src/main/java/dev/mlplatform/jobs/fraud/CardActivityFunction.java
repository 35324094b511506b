package dev.mlplatform.jobs.fraud;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.definitions.CardActivity;
import dev.mlplatform.featurestore.definitions.CardActivity.CardState;
import dev.mlplatform.featurestore.definitions.CardActivity.Payment;
import dev.mlplatform.featurestore.flink.FeatureRowTypeInfo;
import dev.mlplatform.featurestore.registry.FeatureRow;
import java.time.Duration;
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
 * The devices and locations of a card, keyed by its token: emits the card's
 * {@link dev.mlplatform.featurestore.definitions.FraudFeatures#CARD_ACTIVITY} row at each instant it
 * changes ({@link CardState#changeTimesOf}), with the
 * {@link dev.mlplatform.featurestore.definitions.FraudFeatures#CARD_DEVICE_HISTORY} rows of the devices
 * used at that instant on {@link #CARD_DEVICE_ROWS}.
 *
 * <p>A card state grows in event-time order. The function keeps it <i>settled</i> up to the allowed lateness
 * behind the watermark, where no payment can arrive any more, and the payments after that in a buffer. A row
 * is emitted by an event-time timer, that is when the watermark reaches it: a copy of the settled state takes
 * the buffered payments up to the row's instant, so the row is exactly that of the offline replay (a state fed
 * the payments in time order). A payment behind the watermark but within the allowed lateness joins the buffer,
 * and every row already out from its instant on is emitted again, corrected (counted in
 * {@value FraudFeatureJob#LATE_EVENTS_CORRECTED}); the offline log replaces them, the online store keeps the
 * latest. A payment later than that, or behind the settled state after a restore, is dropped and counted in
 * {@value FraudFeatureJob#LATE_EVENTS_DROPPED} (the card velocity reports it to the late topic).
 *
 * <p>The state is dropped {@link CardActivity#DEVICE_MEMORY} after the card's last payment (and the allowed
 * lateness), when it has nothing left to remember ({@link CardState#forgottenAt}), by a timer of its own.
 */
final class CardActivityFunction extends KeyedProcessFunction<String, TransactionEvent, FeatureRow> {

    /** The {@link dev.mlplatform.featurestore.definitions.FraudFeatures#CARD_DEVICE_HISTORY} rows. */
    static final OutputTag<FeatureRow> CARD_DEVICE_ROWS = new OutputTag<>("card-device-rows", FeatureRowTypeInfo.INSTANCE);

    private static final long DEVICE_MEMORY_MILLIS = CardActivity.DEVICE_MEMORY.toMillis();

    private final long allowedLatenessMillis;

    private transient ValueState<CardState> settledState;
    private transient ValueState<Long> settledUntil;
    private transient MapState<Long, List<Payment>> paymentsByMillis;
    /** The instants of the rows out since the settled state, as keys (Flink's own serializers, no Kryo). */
    private transient MapState<Long, Boolean> rowTimesSinceSettled;
    private transient ValueState<Long> forgetAt;
    private transient Counter lateEventsDropped;
    private transient Counter lateEventsCorrected;

    /** @param allowedLateness how far behind the watermark a payment still counts, the rows it changes emitted again */
    CardActivityFunction(Duration allowedLateness) {
        this.allowedLatenessMillis = allowedLateness.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        settledState = getRuntimeContext().getState(
                new ValueStateDescriptor<>("card-state", TypeInformation.of(CardState.class)));
        settledUntil = getRuntimeContext().getState(new ValueStateDescriptor<>("settled-until", Types.LONG));
        paymentsByMillis = getRuntimeContext().getMapState(new MapStateDescriptor<>("payments-by-millis",
                Types.LONG, Types.LIST(TypeInformation.of(Payment.class))));
        rowTimesSinceSettled = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("row-times-since-settled", Types.LONG, Types.BOOLEAN));
        forgetAt = getRuntimeContext().getState(new ValueStateDescriptor<>("forget-at", Types.LONG));
        lateEventsDropped = getRuntimeContext().getMetricGroup().counter(FraudFeatureJob.LATE_EVENTS_DROPPED);
        lateEventsCorrected = getRuntimeContext().getMetricGroup().counter(FraudFeatureJob.LATE_EVENTS_CORRECTED);
    }

    @Override
    public void processElement(TransactionEvent event, Context ctx, Collector<FeatureRow> out) throws Exception {
        Payment payment = Payment.of(event);
        long time = payment.epochMillis();
        long watermark = ctx.timerService().currentWatermark();
        // After a restore the watermark starts again from the beginning of time: the settled state still bounds.
        long settled = settledUntil.value() == null ? Long.MIN_VALUE : settledUntil.value();
        if (time <= settled || (watermark != Long.MIN_VALUE && time <= watermark - allowedLatenessMillis)) {
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
        // The rows already out from this payment's instant on: emitted again with it. Its own instant's row
        // comes from its timer, which fires at once when the watermark is past it.
        List<Long> outSince = new ArrayList<>();
        for (long rowTime : rowTimesSinceSettled.keys()) {
            if (rowTime > time) {
                outSince.add(rowTime);
            }
        }
        if (!outSince.isEmpty()) {
            lateEventsCorrected.inc();
            outSince.sort(null);
            for (long rowTime : outSince) {
                emitRows(ctx.getCurrentKey(), rowTime, ctx, out);
            }
        }
        // One forget timer per card, after its latest payment: an earlier one would fire while the
        // card still has something to remember, at an instant that is no change time.
        long forgetTime = time + DEVICE_MEMORY_MILLIS + allowedLatenessMillis;
        Long scheduled = forgetAt.value();
        if (scheduled == null || forgetTime > scheduled) {
            if (scheduled != null) {
                ctx.timerService().deleteEventTimeTimer(scheduled);
            }
            forgetAt.update(forgetTime);
            ctx.timerService().registerEventTimeTimer(forgetTime);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FeatureRow> out) throws Exception {
        CardState settled = settle(timestamp - allowedLatenessMillis);
        if (settled.forgottenAt(settledUntil.value()) && paymentsByMillis.isEmpty()) {
            // The forget timer: the last payment is DEVICE_MEMORY behind the settled state. Never a change time
            // (those are at most DEVICE_WINDOW after a payment), so no row is due either.
            settledState.clear();
            settledUntil.clear();
            rowTimesSinceSettled.clear();
            forgetAt.clear();
            return;
        }
        emitRows(ctx.getCurrentKey(), timestamp, ctx, out);
        rowTimesSinceSettled.put(timestamp, Boolean.TRUE);
    }

    /** Folds the buffered payments up to {@code until} into the settled state, for good; returns it. */
    private CardState settle(long until) throws Exception {
        CardState state = settledState.value() == null ? new CardState() : settledState.value();
        long previous = settledUntil.value() == null ? Long.MIN_VALUE : settledUntil.value();
        if (until <= previous) {
            return state;
        }
        List<Long> due = bufferedUpTo(until);
        for (long time : due) {
            paymentsByMillis.get(time).forEach(state::add);
            paymentsByMillis.remove(time);
        }
        // Written only when it changed: every write of a Kryo-serialized value is copied during a checkpoint.
        if (!due.isEmpty()) {
            settledState.update(state);
        }
        settledUntil.update(until);
        List<Long> settledRows = new ArrayList<>();
        for (long rowTime : rowTimesSinceSettled.keys()) {
            if (rowTime <= until) {
                settledRows.add(rowTime);
            }
        }
        for (long rowTime : settledRows) {
            rowTimesSinceSettled.remove(rowTime);
        }
        return state;
    }

    /** The card's rows at {@code time}: a copy of the settled state with the buffered payments up to then. */
    private void emitRows(String card, long time, Context ctx, Collector<FeatureRow> out) throws Exception {
        CardState state = settledState.value() == null ? new CardState() : settledState.value().copy();
        for (long paid : bufferedUpTo(time)) {
            paymentsByMillis.get(paid).forEach(state::add);
        }
        out.collect(state.cardRow(card, time));
        for (FeatureRow row : state.cardDeviceRowsAt(card, time)) {
            ctx.output(CARD_DEVICE_ROWS, row);
        }
    }

    /** The instants of the buffered payments up to {@code time}, oldest first. */
    private List<Long> bufferedUpTo(long time) throws Exception {
        List<Long> due = new ArrayList<>();
        for (long paid : paymentsByMillis.keys()) {
            if (paid <= time) {
                due.add(paid);
            }
        }
        due.sort(null);
        return due;
    }
}
