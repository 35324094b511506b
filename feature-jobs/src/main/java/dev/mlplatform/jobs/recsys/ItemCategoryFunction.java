package dev.mlplatform.jobs.recsys;

import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.InteractionEvent;
import dev.mlplatform.jobs.common.DeadLetter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.TimeUtils;

/**
 * Joins each interaction (first input) to the category of its item from the catalogue (second input), both keyed
 * by item id. The function keeps the item's latest category; an interaction whose item it knows goes straight
 * out, in its own event time.
 *
 * <p>An interaction whose item is not known yet waits for it. The wait is bounded in <i>processing</i> time: it
 * is a race between two producers and the job's two sources, which wall-clock time measures; in event time a job
 * catching up on a backlog of interactions would pass the bound in milliseconds, before the catalogue is read. When
 * the item comes, its waiting interactions are released by event-time timers at their own event times, so they
 * go out with their event time as timestamp (a process function can only stamp output with the input's time or
 * a timer's) and in event-time order; those already behind the watermark go out with the next watermark, late.
 * An interaction whose item is still unknown after the grace period goes to {@link RecsysFeatureJob#DEAD_LETTERS}
 * as an unknown item, counted in {@value RecsysFeatureJob#UNKNOWN_ITEMS}.
 */
final class ItemCategoryFunction
        extends KeyedCoProcessFunction<String, InteractionEvent, ItemCategory, CategorizedInteraction> {

    private final Duration grace;

    private transient ValueState<String> category;
    /** Interactions waiting for their item, by the processing time their wait ends. */
    private transient MapState<Long, List<InteractionEvent>> waitingUntil;
    /** Interactions whose item came while they waited, by their event time, until its timer fires. */
    private transient MapState<Long, List<InteractionEvent>> releasedAt;
    private transient Counter unknownItems;

    /** @param grace how long an interaction waits for its item before it is dead-lettered (processing time) */
    ItemCategoryFunction(Duration grace) {
        this.grace = grace;
    }

    @Override
    public void open(OpenContext openContext) {
        TypeInformation<List<InteractionEvent>> events = Types.LIST(TypeInformation.of(InteractionEvent.class));
        category = getRuntimeContext().getState(new ValueStateDescriptor<>("category", Types.STRING));
        waitingUntil = getRuntimeContext().getMapState(new MapStateDescriptor<>("waiting-until", Types.LONG, events));
        releasedAt = getRuntimeContext().getMapState(new MapStateDescriptor<>("released-at", Types.LONG, events));
        unknownItems = getRuntimeContext().getMetricGroup().counter(RecsysFeatureJob.UNKNOWN_ITEMS);
    }

    @Override
    public void processElement1(InteractionEvent event, Context ctx, Collector<CategorizedInteraction> out)
            throws Exception {
        String known = category.value();
        if (known != null) {
            out.collect(new CategorizedInteraction(event, known));
            return;
        }
        long until = ctx.timerService().currentProcessingTime() + grace.toMillis();
        add(waitingUntil, until, event);
        ctx.timerService().registerProcessingTimeTimer(until);
    }

    @Override
    public void processElement2(ItemCategory item, Context ctx, Collector<CategorizedInteraction> out)
            throws Exception {
        category.update(item.category());
        for (Map.Entry<Long, List<InteractionEvent>> waiting : waitingUntil.entries()) {
            ctx.timerService().deleteProcessingTimeTimer(waiting.getKey());
            for (InteractionEvent event : waiting.getValue()) {
                long time = event.timestamp().toEpochMilli();
                add(releasedAt, time, event);
                ctx.timerService().registerEventTimeTimer(time);
            }
        }
        waitingUntil.clear();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CategorizedInteraction> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            String known = category.value();
            for (InteractionEvent event : releasedAt.get(timestamp)) {
                out.collect(new CategorizedInteraction(event, known));
            }
            releasedAt.remove(timestamp);
            return;
        }
        for (InteractionEvent event : waitingUntil.get(timestamp)) {
            unknownItems.inc();
            ctx.output(RecsysFeatureJob.DEAD_LETTERS, new DeadLetter("unknown item '" + event.itemId()
                    + "': not in the catalogue " + TimeUtils.formatWithHighestUnit(grace) + " after the interaction",
                    EventJson.MAPPER.writeValueAsString(event)));
        }
        waitingUntil.remove(timestamp);
    }

    private static void add(MapState<Long, List<InteractionEvent>> state, long key, InteractionEvent event)
            throws Exception {
        List<InteractionEvent> present = state.get(key);
        List<InteractionEvent> events = present == null ? new ArrayList<>() : new ArrayList<>(present);
        events.add(event);
        state.put(key, events);
    }
}
