package dev.mlplatform.jobs.fraud;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.definitions.WindowedVelocity;
import dev.mlplatform.featurestore.definitions.WindowedVelocity.Tally;
import dev.mlplatform.featurestore.registry.FeatureRow;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The velocity of one kind of entity, keyed by its id (a card token, a customer, a device, a merchant):
 * keeps, per entity, the transactions of its longest window as {@link Tally tallies} by event-time
 * millisecond, and emits the entity's row at each instant its features change: a transaction's own time
 * and the times it leaves each window ({@link WindowedVelocity#changeTimes}). Rows are emitted by
 * event-time timers, that is once the watermark has passed them: every transaction up to that instant
 * has arrived, so each row is exact however out of order the transactions came, and rows come out in
 * event-time order. An entity idle for the longest window has no state and no timer left.
 *
 * <p>A transaction behind the watermark is not counted, since the rows up to the watermark are out
 * already. Several velocities see the same transactions, and one of them reports such a transaction
 * to {@link FraudFeatureJob#LATE_EVENTS}, so that the late topic receives it once; the others count
 * it in {@value FraudFeatureJob#LATE_EVENTS_DROPPED}.
 */
final class VelocityFunction extends KeyedProcessFunction<String, TransactionEvent, FeatureRow> {

    private final WindowedVelocity velocity;
    private final boolean reportsLateEvents;

    private transient MapState<Long, Tally> talliesByMillis;
    private transient Counter lateEventsDropped;

    /**
     * @param velocity          the windows and feature names of the velocity
     * @param reportsLateEvents whether transactions behind the watermark go to {@link FraudFeatureJob#LATE_EVENTS},
     *                          rather than only being counted
     */
    VelocityFunction(WindowedVelocity velocity, boolean reportsLateEvents) {
        this.velocity = Objects.requireNonNull(velocity, "velocity");
        this.reportsLateEvents = reportsLateEvents;
    }

    @Override
    public void open(OpenContext openContext) {
        talliesByMillis = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("tallies-by-millis", Types.LONG, TypeInformation.of(Tally.class)));
        lateEventsDropped = getRuntimeContext().getMetricGroup().counter(FraudFeatureJob.LATE_EVENTS_DROPPED);
    }

    @Override
    public void processElement(TransactionEvent event, Context ctx, Collector<FeatureRow> out) throws Exception {
        Tally tally = Tally.of(event.timestamp(), event.amount());
        if (tally.epochMillis() <= ctx.timerService().currentWatermark()) {
            // Rows up to the watermark are already out; counting it now would make them wrong.
            if (reportsLateEvents) {
                ctx.output(FraudFeatureJob.LATE_EVENTS, event);
            } else {
                lateEventsDropped.inc();
            }
            return;
        }
        Tally sameMillisecond = talliesByMillis.get(tally.epochMillis());
        talliesByMillis.put(tally.epochMillis(), sameMillisecond == null ? tally : sameMillisecond.plus(tally));
        for (long changeTime : velocity.changeTimes(tally.epochMillis())) {
            ctx.timerService().registerEventTimeTimer(changeTime);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FeatureRow> out) throws Exception {
        List<Tally> upToNow = new ArrayList<>();
        Iterator<Map.Entry<Long, Tally>> entries = talliesByMillis.iterator();
        while (entries.hasNext()) {
            Tally tally = entries.next().getValue();
            if (!velocity.stillCounts(tally, timestamp)) {
                entries.remove();
            } else if (tally.epochMillis() <= timestamp) {
                upToNow.add(tally);
            }
        }
        out.collect(velocity.rowAt(ctx.getCurrentKey(), timestamp, upToNow));
        if (talliesByMillis.isEmpty()) {
            // The last timer of the last transaction has fired: nothing of this entity is left.
            talliesByMillis.clear();
        }
    }
}
