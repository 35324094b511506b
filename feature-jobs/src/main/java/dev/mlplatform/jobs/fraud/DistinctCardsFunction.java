package dev.mlplatform.jobs.fraud;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.definitions.DistinctCards.CardsState;
import dev.mlplatform.featurestore.registry.FeatureRow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The distinct cards of a device or a merchant (the key), over the last hour and day
 * ({@link dev.mlplatform.featurestore.definitions.DistinctCards}): keeps a {@link CardsState} and emits the
 * entity's row by an event-time timer at each instant it changes ({@link CardsState#changeTimesOf}): every
 * payment up to that instant has arrived, so the rows are those of the offline replay. A payment behind the
 * watermark is dropped and counted in {@value FraudFeatureJob#LATE_EVENTS_DROPPED} (the card velocity reports
 * it to the late topic). The state is dropped once its last payment has left the day.
 */
final class DistinctCardsFunction extends KeyedProcessFunction<String, TransactionEvent, FeatureRow> {

    private transient ValueState<CardsState> cardsState;
    private transient Counter lateEventsDropped;

    @Override
    public void open(OpenContext openContext) {
        cardsState = getRuntimeContext().getState(
                new ValueStateDescriptor<>("cards-state", TypeInformation.of(CardsState.class)));
        lateEventsDropped = getRuntimeContext().getMetricGroup().counter(FraudFeatureJob.LATE_EVENTS_DROPPED);
    }

    @Override
    public void processElement(TransactionEvent payment, Context ctx, Collector<FeatureRow> out) throws Exception {
        long time = payment.timestamp().toEpochMilli();
        if (time <= ctx.timerService().currentWatermark()) {
            lateEventsDropped.inc();
            return;
        }
        CardsState state = cardsState.value();
        if (state == null) {
            state = new CardsState();
        }
        state.add(payment.cardKey(), time);
        cardsState.update(state);
        for (long changeTime : CardsState.changeTimesOf(time)) {
            ctx.timerService().registerEventTimeTimer(changeTime);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FeatureRow> out) throws Exception {
        CardsState state = cardsState.value();
        boolean forgotten = state.forgetBefore(timestamp);
        out.collect(state.rowAt(ctx.getCurrentKey(), timestamp));
        if (forgotten) {
            cardsState.clear();
        } else {
            cardsState.update(state);
        }
    }
}
