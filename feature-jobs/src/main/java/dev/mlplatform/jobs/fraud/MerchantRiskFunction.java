package dev.mlplatform.jobs.fraud;

import dev.mlplatform.core.events.FraudLabel;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.definitions.MerchantRisk;
import dev.mlplatform.featurestore.definitions.MerchantRisk.MerchantState;
import dev.mlplatform.featurestore.registry.FeatureRow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A merchant's known fraud, keyed by merchant id, from its payments (first input) and the fraud labels of
 * {@code fraud.labels.v1} (second input): keeps a {@link MerchantState} and emits the merchant's
 * {@link dev.mlplatform.featurestore.definitions.FraudFeatures#MERCHANT_RISK} row at each instant it changes,
 * by an event-time timer: when a payment's minute becomes the label delay old and when it leaves each
 * window ({@link MerchantState#changeTimesOfPayment}), and when a label becomes visible.
 *
 * <p>The row at {@code t} reads only payments the label delay (a week) old, so a payment may arrive late by
 * almost that much and still count. One later than that is dropped and counted in
 * {@value FraudFeatureJob#LATE_EVENTS_DROPPED} (the card velocity reports it to the late topic). A label
 * reported behind the watermark counts from the next instant the watermark passes; one whose payment has
 * left every window is ignored. The state is dropped once nothing in it counts any more.
 */
final class MerchantRiskFunction extends KeyedCoProcessFunction<String, TransactionEvent, FraudLabel, FeatureRow> {

    /** Counter of the labels taken: new frauds, not repeats, that still count somewhere. */
    static final String FRAUD_LABELS_COUNTED = "fraudLabelsCounted";

    private transient ValueState<MerchantState> merchantState;
    private transient Counter lateEventsDropped;
    private transient Counter fraudLabelsCounted;

    @Override
    public void open(OpenContext openContext) {
        merchantState = getRuntimeContext().getState(
                new ValueStateDescriptor<>("merchant-state", TypeInformation.of(MerchantState.class)));
        lateEventsDropped = getRuntimeContext().getMetricGroup().counter(FraudFeatureJob.LATE_EVENTS_DROPPED);
        fraudLabelsCounted = getRuntimeContext().getMetricGroup().counter(FRAUD_LABELS_COUNTED);
    }

    @Override
    public void processElement1(TransactionEvent payment, Context ctx, Collector<FeatureRow> out) throws Exception {
        long time = payment.timestamp().toEpochMilli();
        long[] changeTimes = MerchantState.changeTimesOfPayment(time);
        // Its minute is already in the known past: the rows that should have counted it are out.
        if (changeTimes[0] <= ctx.timerService().currentWatermark()) {
            lateEventsDropped.inc();
            return;
        }
        MerchantState state = state();
        state.addPayment(time);
        merchantState.update(state);
        for (long changeTime : changeTimes) {
            ctx.timerService().registerEventTimeTimer(changeTime);
        }
    }

    @Override
    public void processElement2(FraudLabel label, Context ctx, Collector<FeatureRow> out) throws Exception {
        long transactionTime = label.transactionTime().toEpochMilli();
        long watermark = ctx.timerService().currentWatermark();
        long visibleAt = Math.max(MerchantRisk.visibleAt(transactionTime, label.reportedAt().toEpochMilli()),
                watermark == Long.MIN_VALUE ? Long.MIN_VALUE : watermark + 1);
        if (visibleAt >= MerchantState.forgottenAt(transactionTime)) {
            return;
        }
        MerchantState state = state();
        if (!state.addFraud(label.transactionId(), transactionTime, visibleAt)) {
            return;
        }
        fraudLabelsCounted.inc();
        merchantState.update(state);
        ctx.timerService().registerEventTimeTimer(visibleAt);
        for (long changeTime : MerchantState.changeTimesOfPayment(transactionTime)) {
            if (changeTime > visibleAt) {
                ctx.timerService().registerEventTimeTimer(changeTime);
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FeatureRow> out) throws Exception {
        MerchantState state = state();
        boolean forgotten = state.forgetBefore(timestamp);
        // The row at the instant everything left the windows (all zero) goes out too: it replaces the last
        // non-zero row online.
        out.collect(state.rowAt(ctx.getCurrentKey(), timestamp));
        if (forgotten) {
            merchantState.clear();
        } else {
            merchantState.update(state);
        }
    }

    private MerchantState state() throws Exception {
        MerchantState state = merchantState.value();
        return state == null ? new MerchantState() : state;
    }
}
