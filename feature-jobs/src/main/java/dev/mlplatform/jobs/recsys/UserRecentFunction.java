package dev.mlplatform.jobs.recsys;

import dev.mlplatform.core.events.InteractionEvent;
import dev.mlplatform.featurestore.definitions.RankedItems;
import dev.mlplatform.featurestore.definitions.RecsysFeatures;
import dev.mlplatform.featurestore.registry.FeatureRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A user's latest interactions, keyed by user id: emits the user's {@link RecsysFeatures#USER_RECENT} row at the
 * event time of each of their interactions, once the watermark has passed it. Interactions ahead of the watermark
 * wait in a buffer and are applied in event-time order by an event-time timer, so every row is exact however out
 * of order they arrived within the bound:
 * <ul>
 *   <li>{@code recent_items}: the latest {@value RecsysFeatures#RECENT_ITEMS} distinct items, newest first (ties by
 *       item id), each with the strength of its latest interaction;</li>
 *   <li>{@code interactions_1h}: the interactions in (latest - 1 h, latest], searches without an item included;</li>
 *   <li>{@code last_region}: the region of the latest interaction that named one (absent while none did);</li>
 *   <li>{@code last_interaction_at}: the latest interaction's event time, which is also the row's.</li>
 * </ul>
 *
 * <p>An interaction already behind the watermark (one the item join held back until its item came) is applied at
 * once, at its place in event time, and the user's latest row is emitted again with it; rows between it and the
 * latest are not rewritten. Counted in {@value RecsysFeatureJob#LATE_INTERACTIONS_APPLIED}. The state holds at most
 * {@value RecsysFeatures#RECENT_ITEMS} items and an hour of interaction times, and is dropped when the watermark
 * passes the view's TTL after the user's latest interaction: the online row has expired by then too.
 */
final class UserRecentFunction extends KeyedProcessFunction<String, CategorizedInteraction, FeatureRow> {

    private static final long HOUR_MILLIS = 3_600_000;
    private static final long FORGET_AFTER_MILLIS = RecsysFeatures.USER_RECENT.ttl().toMillis();

    /** Newest first, ties by item id: the order of {@code recent_items}. */
    private static final Comparator<Map.Entry<String, ItemInteraction>> NEWEST_FIRST =
            Comparator.<Map.Entry<String, ItemInteraction>>comparingLong(entry -> -entry.getValue().epochMillis())
                    .thenComparing(Map.Entry::getKey);

    /** The latest interaction of a user with an item: when, and its strength. */
    public record ItemInteraction(long epochMillis, double strength) {
    }

    /** The latest region a user's interactions named, and when. */
    public record RegionAt(String region, long epochMillis) {
    }

    private transient MapState<Long, List<InteractionEvent>> bufferedByMillis;
    private transient MapState<String, ItemInteraction> latestPerItem;
    private transient MapState<Long, Integer> countsByMillis;
    private transient ValueState<Long> latestMillis;
    private transient ValueState<RegionAt> lastRegion;
    private transient Counter lateInteractionsApplied;

    @Override
    public void open(OpenContext openContext) {
        bufferedByMillis = getRuntimeContext().getMapState(new MapStateDescriptor<>("buffered-by-millis",
                Types.LONG, Types.LIST(TypeInformation.of(InteractionEvent.class))));
        latestPerItem = getRuntimeContext().getMapState(new MapStateDescriptor<>("latest-per-item",
                Types.STRING, TypeInformation.of(ItemInteraction.class)));
        countsByMillis = getRuntimeContext().getMapState(new MapStateDescriptor<>("counts-by-millis",
                Types.LONG, Types.INT));
        latestMillis = getRuntimeContext().getState(new ValueStateDescriptor<>("latest-millis", Types.LONG));
        lastRegion = getRuntimeContext().getState(new ValueStateDescriptor<>("last-region",
                TypeInformation.of(RegionAt.class)));
        lateInteractionsApplied = getRuntimeContext().getMetricGroup()
                .counter(RecsysFeatureJob.LATE_INTERACTIONS_APPLIED);
    }

    @Override
    public void processElement(CategorizedInteraction interaction, Context ctx, Collector<FeatureRow> out)
            throws Exception {
        InteractionEvent event = interaction.event();
        long time = interaction.epochMillis();
        if (time <= ctx.timerService().currentWatermark()) {
            lateInteractionsApplied.inc();
            apply(event, ctx);
            out.collect(row(ctx.getCurrentKey()));
            return;
        }
        List<InteractionEvent> sameMillisecond = bufferedByMillis.get(time);
        List<InteractionEvent> buffered = sameMillisecond == null ? new ArrayList<>() : new ArrayList<>(sameMillisecond);
        buffered.add(event);
        bufferedByMillis.put(time, buffered);
        ctx.timerService().registerEventTimeTimer(time);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FeatureRow> out) throws Exception {
        List<InteractionEvent> due = bufferedByMillis.get(timestamp);
        if (due != null) {
            for (InteractionEvent event : due) {
                apply(event, ctx);
            }
            bufferedByMillis.remove(timestamp);
            out.collect(row(ctx.getCurrentKey()));
        }
        Long latest = latestMillis.value();
        if (latest != null && timestamp == latest + FORGET_AFTER_MILLIS) {
            latestPerItem.clear();
            countsByMillis.clear();
            latestMillis.clear();
            lastRegion.clear();
        }
    }

    /** Adds the interaction to the state, at its place in event time. */
    private void apply(InteractionEvent event, Context ctx) throws Exception {
        long time = event.timestamp().toEpochMilli();
        Long previousLatest = latestMillis.value();
        long latest = previousLatest == null ? time : Math.max(previousLatest, time);
        if (previousLatest == null || latest > previousLatest) {
            if (previousLatest != null) {
                ctx.timerService().deleteEventTimeTimer(previousLatest + FORGET_AFTER_MILLIS);
            }
            ctx.timerService().registerEventTimeTimer(latest + FORGET_AFTER_MILLIS);
            latestMillis.update(latest);
        }
        if (event.itemId() != null) {
            ItemInteraction known = latestPerItem.get(event.itemId());
            if (known == null || time >= known.epochMillis()) {
                latestPerItem.put(event.itemId(), new ItemInteraction(time, event.strength()));
                forgetBeyondRecentItems();
            }
        }
        if (time > latest - HOUR_MILLIS) {
            Integer count = countsByMillis.get(time);
            countsByMillis.put(time, count == null ? 1 : count + 1);
        }
        List<Long> outOfHour = new ArrayList<>();
        for (long counted : countsByMillis.keys()) {
            if (counted <= latest - HOUR_MILLIS) {
                outOfHour.add(counted);
            }
        }
        for (long counted : outOfHour) {
            countsByMillis.remove(counted);
        }
        RegionAt region = lastRegion.value();
        if (event.region() != null && (region == null || time >= region.epochMillis())) {
            lastRegion.update(new RegionAt(event.region(), time));
        }
    }

    /** Drops the item that is last in {@link #NEWEST_FIRST} order once there is one too many. */
    private void forgetBeyondRecentItems() throws Exception {
        Map<String, ItemInteraction> items = new HashMap<>();
        for (Map.Entry<String, ItemInteraction> entry : latestPerItem.entries()) {
            items.put(entry.getKey(), entry.getValue());
        }
        if (items.size() > RecsysFeatures.RECENT_ITEMS) {
            latestPerItem.remove(items.entrySet().stream().max(NEWEST_FIRST).orElseThrow().getKey());
        }
    }

    private FeatureRow row(String userId) throws Exception {
        List<Map.Entry<String, ItemInteraction>> items = new ArrayList<>();
        latestPerItem.entries().forEach(entry -> items.add(Map.entry(entry.getKey(), entry.getValue())));
        items.sort(NEWEST_FIRST);
        RankedItems recent = new RankedItems(items.stream()
                .map(entry -> new RankedItems.Entry(entry.getKey(), entry.getValue().strength())).toList());
        long interactionsLastHour = 0;
        for (int count : countsByMillis.values()) {
            interactionsLastHour += count;
        }
        long latest = latestMillis.value();
        Map<String, Object> values = new HashMap<>();
        values.put("recent_items", recent.encode());
        values.put("interactions_1h", interactionsLastHour);
        values.put("last_interaction_at", latest);
        RegionAt region = lastRegion.value();
        if (region != null) {
            values.put("last_region", region.region());
        }
        return new FeatureRow(userId, Instant.ofEpochMilli(latest), values);
    }
}
