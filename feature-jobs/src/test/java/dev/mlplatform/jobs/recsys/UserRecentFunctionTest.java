package dev.mlplatform.jobs.recsys;

import static dev.mlplatform.jobs.recsys.Interactions.categorized;
import static dev.mlplatform.jobs.recsys.Interactions.rating;
import static dev.mlplatform.jobs.recsys.Interactions.search;
import static dev.mlplatform.jobs.recsys.Interactions.view;
import static dev.mlplatform.jobs.recsys.Interactions.watch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.InteractionEvent;
import dev.mlplatform.featurestore.definitions.RankedItems;
import dev.mlplatform.featurestore.definitions.RecsysFeatures;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.jobs.common.InterceptedMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserRecentFunctionTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final InterceptedMetrics metrics = new InterceptedMetrics();
    private KeyedOneInputStreamOperatorTestHarness<String, CategorizedInteraction, FeatureRow> harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new UserRecentFunction()),
                CategorizedInteraction::userId, Types.STRING, metrics.environment());
        harness.open();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
        harness.getEnvironment().close();
    }

    @Test
    void emitsTheExactRowAtEachInteractionInEventTimeOrderDespiteOutOfOrderArrival() throws Exception {
        send(watch("e-3", "u-1", "i-2", 900, minutes(2), "DE"));
        send(view("e-1", "u-1", "i-1", minutes(0), "FR"));
        send(view("e-4", "u-1", "i-1", minutes(3), null));
        send(rating("e-2", "u-1", "i-3", 4.0, minutes(1), "FR"));
        assertThat(harness.extractOutputValues()).as("nothing is final before the watermark").isEmpty();

        harness.processWatermark(minutes(10).toEpochMilli());

        assertThat(harness.extractOutputValues()).containsExactly(
                row("u-1", minutes(0), List.of(entry("i-1", 1)), 1, "FR"),
                row("u-1", minutes(1), List.of(entry("i-3", 1.6), entry("i-1", 1)), 2, "FR"),
                row("u-1", minutes(2), List.of(entry("i-2", 1.5), entry("i-3", 1.6), entry("i-1", 1)), 3, "DE"),
                // The item seen again moves to the front; the region is that of the latest interaction naming one.
                row("u-1", minutes(3), List.of(entry("i-1", 1), entry("i-2", 1.5), entry("i-3", 1.6)), 4, "DE"));
        assertThat(metrics.count(RecsysFeatureJob.LATE_INTERACTIONS_APPLIED)).isZero();
    }

    @Test
    void keepsTheLatestDistinctItemsNewestFirstWithTiesByItemId() throws Exception {
        List<RankedItems.Entry> expected = new ArrayList<>();
        for (int i = 0; i <= RecsysFeatures.RECENT_ITEMS; i++) {
            send(view("e-" + i, "u-1", "item-" + (1000 + i), T0.plusSeconds(i), null));
            expected.add(0, entry("item-" + (1000 + i), 1));
        }
        // Two at the last instant: ordered by id, and they push one more of the oldest out.
        Instant last = T0.plusSeconds(RecsysFeatures.RECENT_ITEMS + 1);
        send(view("e-b", "u-1", "item-b", last, null));
        send(view("e-a", "u-1", "item-a", last, null));
        expected.add(0, entry("item-b", 1));
        expected.add(0, entry("item-a", 1));
        harness.processWatermark(minutes(10).toEpochMilli());

        FeatureRow latest = harness.extractOutputValues().get(harness.extractOutputValues().size() - 1);
        assertThat(RankedItems.parse((String) latest.values().get("recent_items")).entries())
                .hasSize(RecsysFeatures.RECENT_ITEMS)
                .containsExactlyElementsOf(expected.subList(0, RecsysFeatures.RECENT_ITEMS));
        assertThat(latest.values()).containsEntry("interactions_1h", RecsysFeatures.RECENT_ITEMS + 3L)
                .doesNotContainKey("last_region");
    }

    @Test
    void countsTheInteractionsOfTheHourUpToTheLatestSearchesIncluded() throws Exception {
        send(view("e-1", "u-1", "i-1", minutes(0), "FR"));
        send(search("e-2", "u-1", "heist", null, minutes(30), "FR"));
        send(view("e-3", "u-1", "i-2", minutes(60), "FR"));
        send(view("e-4", "u-1", "i-3", minutes(61), "FR"));
        harness.processWatermark(minutes(70).toEpochMilli());

        assertThat(harness.extractOutputValues()).extracting(row -> row.values().get("interactions_1h"))
                // At 60 min the first interaction is exactly an hour old: out of (latest - 1 h, latest].
                .containsExactly(1L, 2L, 2L, 3L);
        assertThat(harness.extractOutputValues().get(1).values()).containsEntry("recent_items", "i-1:1");
    }

    @Test
    void appliesAnInteractionBehindTheWatermarkAtOnceAndEmitsTheLatestRowAgain() throws Exception {
        send(view("e-1", "u-1", "i-1", minutes(0), "FR"));
        send(view("e-2", "u-1", "i-2", minutes(5), null));
        harness.processWatermark(minutes(10).toEpochMilli());
        // Held back by the item join until its item came: behind the watermark.
        send(search("e-3", "u-1", "heist", "i-3", minutes(2), "ES"));

        assertThat(harness.extractOutputValues()).containsExactly(
                row("u-1", minutes(0), List.of(entry("i-1", 1)), 1, "FR"),
                row("u-1", minutes(5), List.of(entry("i-2", 1), entry("i-1", 1)), 2, "FR"),
                row("u-1", minutes(5), List.of(entry("i-2", 1), entry("i-3", 0.5), entry("i-1", 1)), 3, "ES"));
        assertThat(metrics.count(RecsysFeatureJob.LATE_INTERACTIONS_APPLIED)).isEqualTo(1);
    }

    @Test
    void forgetsAUserOnceTheirRowHasExpired() throws Exception {
        send(view("e-1", "u-1", "i-1", minutes(0), "FR"));
        harness.processWatermark(T0.plus(RecsysFeatures.USER_RECENT.ttl()).toEpochMilli());

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        Instant back = T0.plus(RecsysFeatures.USER_RECENT.ttl()).plusSeconds(1);
        send(view("e-2", "u-1", "i-2", back, null));
        harness.processWatermark(back.toEpochMilli());
        assertThat(harness.extractOutputValues()).last().isEqualTo(row("u-1", back, List.of(entry("i-2", 1)), 1, null));
    }

    private void send(InteractionEvent event) throws Exception {
        harness.processElement(categorized(event, "drama"), event.timestamp().toEpochMilli());
    }

    private static Instant minutes(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    private static RankedItems.Entry entry(String itemId, double strength) {
        return new RankedItems.Entry(itemId, strength);
    }

    static FeatureRow row(String userId, Instant latest, List<RankedItems.Entry> recent, long interactionsLastHour,
                          String lastRegion) {
        Map<String, Object> values = new HashMap<>();
        values.put("recent_items", new RankedItems(recent).encode());
        values.put("interactions_1h", interactionsLastHour);
        values.put("last_interaction_at", latest.toEpochMilli());
        if (lastRegion != null) {
            values.put("last_region", lastRegion);
        }
        return new FeatureRow(userId, latest, values);
    }
}
