package dev.mlplatform.jobs.recsys;

import static dev.mlplatform.jobs.recsys.Interactions.categorized;
import static dev.mlplatform.jobs.recsys.Interactions.view;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.featurestore.definitions.RankedItems;
import dev.mlplatform.featurestore.definitions.RecsysFeatures;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.jobs.common.InterceptedMetrics;
import dev.mlplatform.jobs.recsys.Trending.SegmentInteraction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrendingTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration LATENESS = Duration.ofMinutes(10);

    private final InterceptedMetrics metrics = new InterceptedMetrics();
    private KeyedOneInputStreamOperatorTestHarness<String, SegmentInteraction, FeatureRow> harness;

    /** The job's trending windows: sliding, counted incrementally, rows at each window's end. */
    @BeforeEach
    void openHarness() throws Exception {
        WindowOperatorBuilder<SegmentInteraction, String, TimeWindow> windows = new WindowOperatorBuilder<>(
                SlidingEventTimeWindows.of(RecsysFeatures.TRENDING_WINDOW, RecsysFeatures.TRENDING_SLIDE),
                EventTimeTrigger.create(), new ExecutionConfig(), TypeInformation.of(SegmentInteraction.class),
                SegmentInteraction::segment, Types.STRING);
        windows.allowedLateness(LATENESS);
        OneInputStreamOperator<SegmentInteraction, FeatureRow> operator = windows.aggregate(
                new Trending.CountPerItem(), new Trending.TopItemsFunction(), Types.MAP(Types.STRING, Types.LONG));
        harness = new KeyedOneInputStreamOperatorTestHarness<>(operator, SegmentInteraction::segment, Types.STRING,
                metrics.environment());
        harness.open();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
        harness.getEnvironment().close();
    }

    @Test
    void countsAnInteractionForAllItsRegionAndItsItemsCategory() {
        List<SegmentInteraction> segments = new ArrayList<>();
        Collector<SegmentInteraction> out = collectInto(segments);
        Trending.SegmentsFunction function = new Trending.SegmentsFunction();

        function.flatMap(categorized(view("e-1", "u-1", "i-1", T0, "FR"), "comedy"), out);
        function.flatMap(categorized(view("e-2", "u-1", "i-2", T0, null), "drama"), out);

        assertThat(segments).containsExactly(
                new SegmentInteraction("all", "i-1"), new SegmentInteraction("region:FR", "i-1"),
                new SegmentInteraction("category:comedy", "i-1"),
                new SegmentInteraction("all", "i-2"), new SegmentInteraction("category:drama", "i-2"));
    }

    @Test
    void emitsTheTopItemsMostFirstTiesByItemIdAtTheEndOfEachWindow() throws Exception {
        send("all", "i-c", minutes(1));
        send("all", "i-a", minutes(2));
        send("all", "i-b", minutes(3));
        send("all", "i-a", minutes(4));
        send("region:FR", "i-c", minutes(7));
        harness.processWatermark(minutes(10).toEpochMilli() - 1);

        assertThat(harness.extractOutputValues()).containsExactlyInAnyOrder(
                row("all", minutes(5), "i-a:2,i-b:1,i-c:1", 4),
                row("all", minutes(10), "i-a:2,i-b:1,i-c:1", 4),
                row("region:FR", minutes(10), "i-c:1", 1));

        // The hour's last window of the first interactions; the next one holds only what came after them.
        harness.processWatermark(minutes(65).toEpochMilli() - 1);
        assertThat(harness.extractOutputValues()).filteredOn(row -> row.entityId().equals("all"))
                .hasSize(12).last().isEqualTo(row("all", minutes(60), "i-a:2,i-b:1,i-c:1", 4));
        assertThat(harness.extractOutputValues()).filteredOn(row -> row.entityId().equals("region:FR"))
                .hasSize(12).last().isEqualTo(row("region:FR", minutes(65), "i-c:1", 1));
    }

    @Test
    void keepsTheHundredMostInteractedWithItemsAndCountsThemAll() throws Exception {
        for (int i = 0; i < RecsysFeatures.TRENDING_ITEMS + 20; i++) {
            send("all", "i-" + (1000 + i), minutes(1));
        }
        send("all", "i-1119", minutes(2));
        harness.processWatermark(minutes(5).toEpochMilli() - 1);

        FeatureRow row = harness.extractOutputValues().get(0);
        List<RankedItems.Entry> top = RankedItems.parse((String) row.values().get("top_items")).entries();
        assertThat(top).hasSize(RecsysFeatures.TRENDING_ITEMS);
        assertThat(top.get(0)).isEqualTo(new RankedItems.Entry("i-1119", 2));
        // Then the ties by item id: i-1000 to i-1098 make the hundred, i-1099 to i-1118 are left out.
        assertThat(top.get(1)).isEqualTo(new RankedItems.Entry("i-1000", 1));
        assertThat(top.get(RecsysFeatures.TRENDING_ITEMS - 1)).isEqualTo(new RankedItems.Entry("i-1098", 1));
        assertThat(row.values()).containsEntry("interactions", RecsysFeatures.TRENDING_ITEMS + 21L);
    }

    @Test
    void emitsAWindowAgainForALateInteractionWithinTheLatenessAndDropsLaterOnes() throws Exception {
        send("all", "i-a", minutes(1));
        harness.processWatermark(minutes(5).toEpochMilli() - 1);
        // Behind the watermark, as an interaction released by its item is: the window ending at 5 min is out.
        send("all", "i-b", minutes(2));
        harness.processWatermark(minutes(80).toEpochMilli());
        // Every window of this one closed more than the lateness ago.
        send("all", "i-c", minutes(3));

        List<FeatureRow> firstWindow = harness.extractOutputValues().stream()
                .filter(row -> row.eventTime().equals(minutes(5))).toList();
        assertThat(firstWindow).containsExactly(row("all", minutes(5), "i-a:1", 1), row("all", minutes(5), "i-a:1,i-b:1", 2));
        assertThat(harness.extractOutputValues()).hasSize(13).last()
                .isEqualTo(row("all", minutes(60), "i-a:1,i-b:1", 2));
        assertThat(metrics.count("numLateRecordsDropped")).isEqualTo(1);
    }

    private void send(String segment, String itemId, Instant time) throws Exception {
        harness.processElement(new SegmentInteraction(segment, itemId), time.toEpochMilli());
    }

    private static Instant minutes(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    private static FeatureRow row(String segment, Instant windowEnd, String topItems, long interactions) {
        Map<String, Object> values = new HashMap<>();
        values.put("top_items", topItems);
        values.put("interactions", interactions);
        values.put("window_end", windowEnd.toEpochMilli());
        return new FeatureRow(segment, windowEnd, values);
    }

    private static <T> Collector<T> collectInto(List<T> list) {
        return new Collector<>() {
            @Override
            public void collect(T record) {
                list.add(record);
            }

            @Override
            public void close() {
            }
        };
    }
}
