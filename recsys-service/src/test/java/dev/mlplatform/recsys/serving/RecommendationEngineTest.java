package dev.mlplatform.recsys.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.CatalogueItem;
import dev.mlplatform.featurestore.definitions.RankedItems;
import dev.mlplatform.recsys.catalogue.Catalogue;
import dev.mlplatform.recsys.model.ItemNeighbours;
import dev.mlplatform.recsys.model.ItemVectors;
import dev.mlplatform.recsys.model.TwoTowerModel;
import dev.mlplatform.recsys.model.UserTower;
import dev.mlplatform.recsys.ranking.BlendWeights;
import dev.mlplatform.recsys.ranking.Source;
import dev.mlplatform.recsys.retrieval.ExactItemSearch;
import dev.mlplatform.recsys.retrieval.TwoTowerRetrieval;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.random.JDKRandomGenerator;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class RecommendationEngineTest {

    private static final Instant PUBLISHED = Instant.parse("2026-01-01T00:00:00Z");
    private static final ServingPolicy BY_SCORE = new ServingPolicy(null, null, BlendWeights.DEFAULT, false, 0, 0);

    private final Catalogue catalogue = catalogue(
            item("a", "drama"), item("b", "drama"), item("c", "comedy"), item("d", "comedy"), item("e", "comedy"),
            item("f", "action"), item("g", "comedy", "romance"), item("h", "horror"), item("new-1", "sci-fi"));
    private final RecommendationEngine engine = new RecommendationEngine(catalogue);
    private final ServingModels neighbours = new ServingModels(new ServedModel<>("recs-ease:3", new ItemNeighbours(Map.of(
            "c", List.of(new ItemNeighbours.Neighbour("d", 0.5f), new ItemNeighbours.Neighbour("e", 0.2f))))),
            ServedModel.none(), ServedModel.none());

    @Test
    void blendsEverySourceLeavesOutWhatTheUserJustSawAndExplainsEachItem() {
        UserSignals signals = signals(ranked("a:0.9,b:0.5,c:0.1"), ranked("c:1"), ranked("f:10,a:5"), List.of());

        Recommendations result = engine.recommend(signals, neighbours, 10, BY_SCORE, new JDKRandomGenerator(1));

        assertThat(result.items()).extracting(Recommendations.RecommendedItem::itemId)
                .contains("a", "b", "d", "e", "f")
                .doesNotContain("c");
        assertThat(result.items().get(0).itemId()).isEqualTo("a");
        Recommendations.RecommendedItem d = result.items().stream().filter(i -> i.itemId().equals("d")).findFirst()
                .orElseThrow();
        assertThat(d.source()).isEqualTo("recent");
        assertThat(d.reason()).isEqualTo("because you watched Title c");
        assertThat(result.modelVersions()).containsExactly("recs-ease:7", "recs-ease:3");
        assertThat(result.coldStart()).isFalse();
    }

    @Test
    void theTwoTowerRetrievesFromTheWholeCatalogueByTheLatestInteractionsAndSaysWhichOneItIsLike() {
        // A user tower with no hidden effect: the user's vector is the mean of the history's item vectors.
        UserTower meanOfHistory = new UserTower(2, 1, new float[2], new float[1], new float[2], new float[2]);
        ItemVectors vectors = new ItemVectors(List.of("c", "d", "g", "h", "a"),
                new float[][] {{1, 0}, {0.9f, 0.1f}, {0.8f, 0.3f}, {0, 1}, {-1, 0}});
        TwoTowerRetrieval retrieval = new TwoTowerRetrieval(new TwoTowerModel(vectors, meanOfHistory),
                new ExactItemSearch(vectors));
        ServingModels models = new ServingModels(ServedModel.none(), new ServedModel<>("recs-two-tower:2", retrieval),
                ServedModel.none());
        UserSignals signals = signals(ranked(""), ranked("c:1"), ranked(""), List.of());

        Recommendations result = engine.recommend(signals, models, 10, BY_SCORE, new JDKRandomGenerator(1));

        assertThat(result.items()).extracting(Recommendations.RecommendedItem::itemId)
                .as("nearest first; c is the history, a the farthest (scaled to 0)").startsWith("d", "g")
                .doesNotContain("c", "a");
        assertThat(result.items().get(0).source()).isEqualTo("embedding");
        assertThat(result.items().get(0).reason()).isEqualTo("similar to Title c");
        assertThat(result.modelVersions()).containsExactly("recs-ease:7", "recs-two-tower:2");
    }

    @Test
    void aLearntRankerInServiceReplacesThePolicysWeightsAndIsNamedInTheResponse() {
        UserSignals signals = signals(ranked("a:0.9,b:0.5"), ranked(""), ranked("f:10,h:5"), List.of());
        ServingModels trendingOnly = new ServingModels(ServedModel.none(), ServedModel.none(),
                new ServedModel<>("recs-ranker:4", BlendWeights.only(Source.TRENDING)));

        Recommendations byPolicy = engine.recommend(signals, ServingModels.NONE, 2, BY_SCORE, new JDKRandomGenerator(1));
        Recommendations byRanker = engine.recommend(signals, trendingOnly, 2, BY_SCORE, new JDKRandomGenerator(1));

        assertThat(ids(byPolicy)).containsExactly("a", "b");
        assertThat(ids(byRanker)).containsExactly("f", "h");
        assertThat(byRanker.modelVersions()).containsExactly("recs-ease:7", "recs-ranker:4");
    }

    @Test
    void theBanditsNewItemTakesAVisiblePlaceAndTheListKeepsItsLength() {
        UserSignals signals = signals(ranked("a:0.9,b:0.5,d:0.4"), ranked(""), ranked(""),
                List.of(new BanditArm("new-1", 0, 0)));
        ServingPolicy exploring = new ServingPolicy(null, null, BlendWeights.DEFAULT, false, 0, 1);

        Recommendations result = engine.recommend(signals, neighbours, 3, exploring, new JDKRandomGenerator(1));

        assertThat(result.items()).extracting(Recommendations.RecommendedItem::itemId)
                .containsExactly("a", "b", "new-1");
        assertThat(result.items().get(2).source()).isEqualTo("exploration");
    }

    @Test
    void diversificationTradesScoreForGenresNotYetInTheList() {
        UserSignals signals = signals(ranked("a:1.0,b:0.95,f:0.7"), ranked(""), ranked(""), List.of());

        List<String> byScore = ids(engine.recommend(signals, neighbours, 2, BY_SCORE, new JDKRandomGenerator(1)));
        List<String> diverse = ids(engine.recommend(signals, neighbours, 2, BY_SCORE.withDiversity(0.5),
                new JDKRandomGenerator(1)));

        assertThat(byScore).containsExactly("a", "b");
        assertThat(diverse).containsExactly("a", "f");
    }

    @Test
    void aColdStartIsServedFromStatedGenresAndWhatTrends() {
        UserSignals signals = new UserSignals("newcomer", ranked(""), null, ranked(""), "FR", List.of("comedy"),
                ranked("h:9,f:3"), "FR", Map.of("comedy", ranked("g:3,d:1")), List.of(), false);

        Recommendations result = engine.recommend(signals, ServingModels.NONE, 4, BY_SCORE, new JDKRandomGenerator(1));

        assertThat(result.coldStart()).isTrue();
        assertThat(result.modelVersions()).isEmpty();
        assertThat(ids(result)).containsExactlyInAnyOrder("d", "g", "h", "f");
        assertThat(result.items()).filteredOn(item -> item.itemId().equals("d"))
                .extracting(Recommendations.RecommendedItem::reason).containsExactly("because you like comedy");
        assertThat(result.items()).filteredOn(item -> item.itemId().equals("h"))
                .extracting(Recommendations.RecommendedItem::reason).containsExactly("trending in FR");
    }

    @Test
    void aNewItemWithoutInteractionsIsPlacedByItsGenresForAUserWhoLikesThem() {
        UserSignals signals = new UserSignals("fan", ranked(""), null, ranked(""), null, List.of("sci-fi"),
                ranked(""), null, Map.of(), List.of(new BanditArm("new-1", 0, 0)), false);

        Recommendations result = engine.recommend(signals, ServingModels.NONE, 3, BY_SCORE, new JDKRandomGenerator(1));

        assertThat(result.items())
                .extracting(Recommendations.RecommendedItem::itemId, Recommendations.RecommendedItem::reason)
                .containsExactly(Tuple.tuple("new-1", "new, and you like sci-fi"));
    }

    @Test
    void itemsNoLongerInTheCatalogueAreNeverServed() {
        UserSignals signals = signals(ranked("gone:1.0,a:0.5"), ranked(""), ranked(""), List.of());

        assertThat(ids(engine.recommend(signals, neighbours, 5, BY_SCORE, new JDKRandomGenerator(1))))
                .containsExactly("a");
    }

    private static List<String> ids(Recommendations recommendations) {
        return recommendations.items().stream().map(Recommendations.RecommendedItem::itemId).toList();
    }

    private static UserSignals signals(RankedItems candidates, RankedItems recent, RankedItems trending,
                                       List<BanditArm> newItems) {
        return new UserSignals("u-1", candidates, "recs-ease:7", recent, null, List.of(), trending, null, Map.of(),
                newItems, false);
    }

    private static RankedItems ranked(String encoded) {
        return RankedItems.parse(encoded);
    }

    private static CatalogueItem item(String id, String... genres) {
        return new CatalogueItem(id, "Title " + id, List.of(genres), List.of(), "", PUBLISHED);
    }

    private static Catalogue catalogue(CatalogueItem... items) {
        Catalogue catalogue = new Catalogue();
        catalogue.replace(List.of(items));
        return catalogue;
    }
}
