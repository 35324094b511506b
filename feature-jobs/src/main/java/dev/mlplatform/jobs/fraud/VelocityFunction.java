package dev.mlplatform.jobs.fraud;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.definitions.WindowedVelocity;
import dev.mlplatform.featurestore.definitions.WindowedVelocity.Tally;
import dev.mlplatform.featurestore.registry.FeatureRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
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
 * event-time order. Each timer updates running sums per window with the tallies that enter and leave
 * at its instant (found by their millisecond), so that a busy merchant's day of transactions is not
 * reread at every change.
 *
 * <p>A transaction behind the watermark by no more than the allowed lateness still counts: it joins the
 * state and every row it changes that is already out is emitted again, corrected ({@value
 * FraudFeatureJob#LATE_EVENTS_CORRECTED}); the online store keeps the newest event time and takes an
 * equal one, the offline log replaces the row of that instant. Tallies are therefore kept the allowed
 * lateness beyond their last window. A transaction later than that is not counted: several velocities
 * see the same transactions, and one of them reports it to {@link FraudFeatureJob#LATE_EVENTS} (the
 * dead-letter path of the late topic), so that the topic receives it once; the others count it in
 * {@value FraudFeatureJob#LATE_EVENTS_DROPPED}. An entity idle for its longest window plus the allowed
 * lateness has no state and no timer left.
 */
final class VelocityFunction extends KeyedProcessFunction<String, TransactionEvent, FeatureRow> {

    private final WindowedVelocity velocity;
    private final boolean reportsLateEvents;
    private final long allowedLatenessMillis;
    private final long[] windowMillis;
    private final long horizonMillis;

    private transient MapState<Long, Tally> talliesByMillis;
    /** Per window the count, then per window the amount in cents, as of the entity's last timer. */
    private transient ValueState<long[]> sums;
    private transient Counter lateEventsDropped;
    private transient Counter lateEventsCorrected;

    /**
     * @param velocity          the windows and feature names of the velocity
     * @param reportsLateEvents whether transactions too late to count go to {@link FraudFeatureJob#LATE_EVENTS},
     *                          rather than only being counted
     * @param allowedLateness   how far behind the watermark a transaction still counts, its rows corrected
     */
    VelocityFunction(WindowedVelocity velocity, boolean reportsLateEvents, Duration allowedLateness) {
        this.velocity = Objects.requireNonNull(velocity, "velocity");
        this.reportsLateEvents = reportsLateEvents;
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowedLateness cannot be negative: " + allowedLateness);
        }
        this.allowedLatenessMillis = allowedLateness.toMillis();
        this.windowMillis = velocity.windows().stream().mapToLong(Duration::toMillis).toArray();
        this.horizonMillis = velocity.horizon().toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        talliesByMillis = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("tallies-by-millis", Types.LONG, TypeInformation.of(Tally.class)));
        sums = getRuntimeContext().getState(new ValueStateDescriptor<>("window-sums",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        lateEventsDropped = getRuntimeContext().getMetricGroup().counter(FraudFeatureJob.LATE_EVENTS_DROPPED);
        lateEventsCorrected = getRuntimeContext().getMetricGroup().counter(FraudFeatureJob.LATE_EVENTS_CORRECTED);
    }

    @Override
    public void processElement(TransactionEvent event, Context ctx, Collector<FeatureRow> out) throws Exception {
        Tally tally = Tally.of(event.timestamp(), event.amount());
        long time = tally.epochMillis();
        long watermark = ctx.timerService().currentWatermark();
        boolean late = time <= watermark;
        // watermark - time, not time <= watermark - lateness: the watermark starts at Long.MIN_VALUE.
        if (late && watermark - time >= allowedLatenessMillis) {
            // Too late: the tallies its rows would need may be gone.
            if (reportsLateEvents) {
                ctx.output(FraudFeatureJob.LATE_EVENTS, event);
            } else {
                lateEventsDropped.inc();
            }
            return;
        }
        Tally sameMillisecond = talliesByMillis.get(time);
        talliesByMillis.put(time, sameMillisecond == null ? tally : sameMillisecond.plus(tally));
        for (long changeTime : velocity.changeTimes(time)) {
            if (changeTime > watermark) {
                ctx.timerService().registerEventTimeTimer(changeTime);
            }
        }
        ctx.timerService().registerEventTimeTimer(time + horizonMillis + allowedLatenessMillis);
        if (late) {
            lateEventsCorrected.inc();
            correct(ctx.getCurrentKey(), time, watermark, out);
        }
    }

    /**
     * Emits again the rows already out that a late tally at {@code time} changes (its own change times up to
     * the watermark, and every other change time after it while it still counts in a window), then restarts
     * the running sums at the watermark. Rare, so it rereads the entity's tallies.
     */
    private void correct(String key, long time, long watermark, Collector<FeatureRow> out) throws Exception {
        List<Tally> tallies = new ArrayList<>();
        TreeSet<Long> changed = new TreeSet<>();
        for (Tally tally : talliesByMillis.values()) {
            tallies.add(tally);
            for (long changeTime : velocity.changeTimes(tally.epochMillis())) {
                boolean own = tally.epochMillis() == time;
                if (changeTime >= time && changeTime <= watermark && (own || changeTime < time + horizonMillis)) {
                    changed.add(changeTime);
                }
            }
        }
        for (long changeTime : changed) {
            out.collect(velocity.rowAt(key, changeTime, tallies));
        }
        // Every timer of this entity up to the watermark has fired: the sums at the watermark are the next base.
        sums.update(sumsAt(watermark, tallies));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FeatureRow> out) throws Exception {
        long[] current = sums.value();
        boolean changes;
        if (current == null) {
            // The entity's first timer (or state from before the running sums): start from its tallies.
            List<Tally> tallies = new ArrayList<>();
            talliesByMillis.values().forEach(tallies::add);
            current = sumsAt(timestamp, tallies);
            changes = tallies.stream().anyMatch(tally -> Arrays.stream(velocity.changeTimes(tally.epochMillis()))
                    .anyMatch(changeTime -> changeTime == timestamp));
        } else {
            changes = advance(current, timestamp);
        }
        if (changes) {
            int n = windowMillis.length;
            out.collect(velocity.rowOf(ctx.getCurrentKey(), timestamp, Arrays.copyOfRange(current, 0, n),
                    Arrays.copyOfRange(current, n, 2 * n)));
        }
        // Out of every window, and too old for a late transaction to need it.
        talliesByMillis.remove(timestamp - horizonMillis - allowedLatenessMillis);
        if (talliesByMillis.isEmpty()) {
            // The clean-up timer of the last transaction has fired: nothing of this entity is left.
            talliesByMillis.clear();
            sums.clear();
        } else {
            sums.update(current);
        }
    }

    /** Moves the sums to {@code timestamp}: the tally of that instant enters every window, those a window long ago leave it. */
    private boolean advance(long[] current, long timestamp) throws Exception {
        int n = windowMillis.length;
        boolean changes = false;
        Tally entering = talliesByMillis.get(timestamp);
        for (int i = 0; i < n; i++) {
            Tally leaving = talliesByMillis.get(timestamp - windowMillis[i]);
            if (leaving != null) {
                current[i] -= leaving.count();
                current[n + i] -= leaving.amountCents();
                changes = true;
            }
            if (entering != null) {
                current[i] += entering.count();
                current[n + i] += entering.amountCents();
                changes = true;
            }
        }
        return changes;
    }

    /** Per window the count, then the cents, of the tallies in {@code (t - w, t]}. */
    private long[] sumsAt(long t, List<Tally> tallies) {
        int n = windowMillis.length;
        long[] at = new long[2 * n];
        for (Tally tally : tallies) {
            for (int i = 0; i < n; i++) {
                if (tally.epochMillis() <= t && tally.epochMillis() > t - windowMillis[i]) {
                    at[i] += tally.count();
                    at[n + i] += tally.amountCents();
                }
            }
        }
        return at;
    }
}
