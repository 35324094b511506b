package dev.mlplatform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.featurestore.definitions.RankedItems;
import dev.mlplatform.featurestore.definitions.RecsysFeatures;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureValues;
import dev.mlplatform.recsys.model.TwoTowerModel;
import dev.mlplatform.recsys.retrieval.ExactItemSearch;
import dev.mlplatform.recsys.retrieval.ScoredItem;
import dev.mlplatform.simulators.recsys.InteractionSimulator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecsLoadTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final long END = InteractionSimulator.FIRST_TIMESTAMP + InteractionSimulator.TIMESTAMP_SPREAD;

    @Test
    void theRecentRowHoldsTheLatestFiftyItemsNewestFirstWithTheirStrengths() {
        List<InteractionSimulator.Interaction> interactions = new ArrayList<>();
        // 60 ratings an hour apart, the newest (item 59) ten minutes before the simulated period's end, then two
        // more within the hour before it: item 100 and 101.
        for (int i = 0; i < 60; i++) {
            interactions.add(new InteractionSimulator.Interaction(6, i, 1 + i % 5, END - 600 - 3600L * (59 - i)));
        }
        interactions.add(new InteractionSimulator.Interaction(6, 100, 5, END - 1200));
        interactions.add(new InteractionSimulator.Interaction(6, 101, 2, END - 3000));
        InteractionSimulator.User user = new InteractionSimulator.User(6, List.of("comedy"), interactions);

        FeatureRow row = RecsLoad.recentRow(user, NOW);

        assertThat(row.entityId()).isEqualTo("s-7");
        Instant latest = NOW.minusSeconds(600);
        assertThat(row.eventTime()).isEqualTo(latest);
        assertThat(row.values()).containsEntry("interactions_1h", 3L).containsEntry("last_region", "DE")
                .containsEntry("last_interaction_at", latest.toEpochMilli());
        RankedItems recent = RankedItems.parse((String) row.values().get("recent_items"));
        assertThat(recent.entries()).hasSize(RecsysFeatures.RECENT_ITEMS);
        assertThat(recent.itemIds().subList(0, 4)).containsExactly("s-60", "s-101", "s-102", "s-59");
        assertThat(recent.itemIds()).last().isEqualTo("s-13");
        // Item 59 was rated 5 stars, item 101 2 stars: the platform's strengths of ratings, stars / 2.5.
        assertThat(recent.entries().get(0).value()).isEqualTo(2.0);
        assertThat(recent.entries().get(2).value()).isEqualTo(0.8);
        // Written exactly as RankedItems writes such a list (the Flink job's form).
        assertThat(row.values().get("recent_items")).isEqualTo(recent.encode());
        FeatureValues.checked(RecsysFeatures.USER_RECENT, row);
    }

    @Test
    void theCandidateRowHoldsTheOracleListBestFirstAndNamesTheGenerator() {
        List<OracleCandidates.Candidate> oracle = List.of(new OracleCandidates.Candidate(41, 3.1234567),
                new OracleCandidates.Candidate(0, 0.5), new OracleCandidates.Candidate(9, 0.0004321));

        FeatureRow row = RecsLoad.candidatesRow("s-3", oracle, NOW);

        assertThat(row.entityId()).isEqualTo("s-3");
        assertThat(row.eventTime()).isEqualTo(NOW);
        assertThat(row.values()).containsEntry("model", "generator-oracle:1")
                .containsEntry("computed_at", NOW.toEpochMilli())
                .containsEntry("items", "s-42:3123457,s-1:500000,s-10:432");
        assertThat(FeatureValues.checked(RecsysFeatures.USER_CANDIDATES, row)).containsOnlyKeys("items", "model",
                "computed_at");
    }

    @Test
    void theGeneratorsRetrievalModelFindsPopularItemsOfTheUsersGenres() {
        InteractionSimulator simulator = new InteractionSimulator(new InteractionSimulator.Config(10, 200, 30, 20,
                RecsLoad.TASTE_WEIGHT, 3));
        TwoTowerModel model = GeneratorRetrievalModel.of(simulator);
        // A history of items of one genre alone: the genre with most such items.
        Map<String, List<String>> singleGenre = new HashMap<>();
        simulator.items().stream().filter(item -> item.genres().size() == 1).forEach(item -> singleGenre
                .computeIfAbsent(item.genres().get(0), g -> new ArrayList<>()).add(RecsLoad.itemId(item.index())));
        String genre = singleGenre.entrySet().stream().max(Map.Entry.comparingByValue(
                Comparator.comparingInt(List::size))).orElseThrow().getKey();
        List<String> history = singleGenre.get(genre);

        List<ScoredItem> nearest = new ExactItemSearch(model.items()).search(model.userVector(history), 5, Set.of());

        assertThat(model.items().size()).isEqualTo(200);
        assertThat(nearest).extracting(ScoredItem::itemId).allSatisfy(itemId -> assertThat(
                simulator.items().get(Integer.parseInt(itemId.substring(RecsLoad.ID_PREFIX.length())) - 1).genres())
                .contains(genre));
    }

    @Test
    void readsTheRedisOfThePlatform() {
        assertThat(RecsLoad.redisUri(Map.of())).isEqualTo("redis://127.0.0.1:6379/0");
        assertThat(RecsLoad.redisUri(Map.of("REDIS_HOST", "cache", "REDIS_PORT", "6380"))).isEqualTo("redis://cache:6380/0");
    }
}
