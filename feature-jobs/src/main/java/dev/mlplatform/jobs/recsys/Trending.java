package dev.mlplatform.jobs.recsys;

import dev.mlplatform.featurestore.definitions.RankedItems;
import dev.mlplatform.featurestore.definitions.RecsysFeatures;
import dev.mlplatform.featurestore.registry.FeatureRow;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The {@link RecsysFeatures#TRENDING} rows: every interaction with an item counts for the segments {@code all},
 * {@code region:<region>} (when it names one) and {@code category:<its item's category>}; per segment, sliding
 * event-time windows of {@link RecsysFeatures#TRENDING_WINDOW} every {@link RecsysFeatures#TRENDING_SLIDE} count
 * the interactions per item incrementally ({@link CountPerItem}: one count per item and window, not the events),
 * and each window emits the segment's row at its end ({@link TopItemsFunction}). Searches without an item count
 * nowhere: trending ranks items, and {@code interactions} is the denominator of their counts.
 */
final class Trending {

    private Trending() {
    }

    /** One interaction with {@code itemId}, counted for {@code segment}. */
    public record SegmentInteraction(String segment, String itemId) {
    }

    /** The segments an interaction with an item counts for. */
    static final class SegmentsFunction implements FlatMapFunction<CategorizedInteraction, SegmentInteraction> {

        @Override
        public void flatMap(CategorizedInteraction interaction, Collector<SegmentInteraction> out) {
            String itemId = interaction.event().itemId();
            out.collect(new SegmentInteraction(RecsysFeatures.ALL, itemId));
            if (interaction.event().region() != null) {
                out.collect(new SegmentInteraction(RecsysFeatures.regionSegment(interaction.event().region()), itemId));
            }
            out.collect(new SegmentInteraction(RecsysFeatures.categorySegment(interaction.category()), itemId));
        }
    }

    /** The interactions per item of one segment's window. */
    static final class CountPerItem implements AggregateFunction<SegmentInteraction, Map<String, Long>, Map<String, Long>> {

        @Override
        public Map<String, Long> createAccumulator() {
            return new HashMap<>();
        }

        @Override
        public Map<String, Long> add(SegmentInteraction interaction, Map<String, Long> counts) {
            counts.merge(interaction.itemId(), 1L, Long::sum);
            return counts;
        }

        @Override
        public Map<String, Long> getResult(Map<String, Long> counts) {
            return counts;
        }

        @Override
        public Map<String, Long> merge(Map<String, Long> counts, Map<String, Long> others) {
            others.forEach((itemId, count) -> counts.merge(itemId, count, Long::sum));
            return counts;
        }
    }

    /** A segment's row at the end of a window, from the window's counts per item. */
    static final class TopItemsFunction extends ProcessWindowFunction<Map<String, Long>, FeatureRow, String, TimeWindow> {

        @Override
        public void process(String segment, Context ctx, Iterable<Map<String, Long>> counts, Collector<FeatureRow> out) {
            for (Map<String, Long> countPerItem : counts) {
                out.collect(row(segment, ctx.window().getEnd(), countPerItem));
            }
        }
    }

    /**
     * The row of {@code segment} for the window ending at {@code windowEnd} (its event time): the
     * {@value RecsysFeatures#TRENDING_ITEMS} items with most interactions, most first, ties by item id, as
     * item:count; all interactions of the window; the window's end.
     */
    static FeatureRow row(String segment, long windowEnd, Map<String, Long> countPerItem) {
        RankedItems top = new RankedItems(countPerItem.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(RecsysFeatures.TRENDING_ITEMS)
                .map(entry -> new RankedItems.Entry(entry.getKey(), entry.getValue()))
                .toList());
        long interactions = countPerItem.values().stream().mapToLong(Long::longValue).sum();
        return new FeatureRow(segment, Instant.ofEpochMilli(windowEnd),
                Map.of("top_items", top.encode(), "interactions", interactions, "window_end", windowEnd));
    }
}
