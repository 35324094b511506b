package dev.mlplatform.recsys.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlplatform.recsys.model.Recommender;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {

    /** Scores fixed per user: item i scores scores[user][i]. */
    private record Fixed(double[][] scores) implements Recommender {
        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public void fit(Interactions train) {
        }

        @Override
        public double[] scores(int user) {
            return scores[user].clone();
        }
    }

    private static Interactions interactions(int[][] itemsByUser, int items) {
        List<String> users = java.util.stream.IntStream.range(0, itemsByUser.length).mapToObj(u -> "u" + u).toList();
        List<String> itemIds = java.util.stream.IntStream.range(0, items).mapToObj(i -> "i" + i).toList();
        return new Interactions(users, itemIds, itemsByUser);
    }

    @Test
    void topKSkipsTheTrainingItemsAndKeepsTheBestFirst() {
        double[] scores = {0.9, 0.1, 0.8, 0.7, 0.95, 0.2};

        assertThat(RankingMetrics.topK(scores, new int[] {4}, 3)).containsExactly(0, 2, 3);
        assertThat(RankingMetrics.topK(scores, new int[] {0, 1, 2, 3, 4}, 3)).containsExactly(5);
    }

    @Test
    void matchesHandComputedFiguresByTheProtocolsDefinitions() {
        // User 0 trained on item 5; relevant: 1 and 3. The top 3 of the rest: 0, 1, 2 (one hit, at rank 2).
        // User 1 trained on item 0; relevant: 4. The top 3: 4, 3, 2 (a hit at rank 1).
        Interactions train = interactions(new int[][] {{5}, {0}}, 6);
        Interactions test = interactions(new int[][] {{1, 3}, {4}}, 6);
        Recommender model = new Fixed(new double[][] {
                {0.9, 0.8, 0.7, 0.1, 0.0, 1.0},
                {1.0, 0.1, 0.2, 0.3, 0.9, 0.0}});

        RankingMetrics metrics = RankingMetrics.of(model, new UserSplit(train, test), 3, Map.of());

        double log2of3 = Math.log(3) / Math.log(2);
        double ndcgUser0 = (1 / log2of3) / (1 + 1 / log2of3);
        assertThat(metrics.users()).isEqualTo(2);
        assertThat(metrics.ndcg()).isCloseTo((ndcgUser0 + 1) / 2, within(1e-12));
        assertThat(metrics.precision()).isCloseTo((1 / 3.0 + 1 / 3.0) / 2, within(1e-12));
        assertThat(metrics.recall()).isCloseTo((0.5 + 1) / 2, within(1e-12));
        // Their MAP: the precision at each hit, over the user's relevant items (not over min(k, relevant)).
        assertThat(metrics.map()).isCloseTo(((0.5) / 2 + 1.0) / 2, within(1e-12));
        assertThat(metrics.coverage()).as("items 0 to 4 recommended").isCloseTo(5 / 6.0, within(1e-12));
        assertThat(metrics.diversity()).isNaN();
    }

    @Test
    void diversityIsOneMinusTheMeanGenreSimilarityOfEachList() {
        Interactions train = interactions(new int[][] {{}}, 3);
        Interactions test = interactions(new int[][] {{0}}, 3);
        Recommender model = new Fixed(new double[][] {{3, 2, 1}});
        Map<String, boolean[]> genres = Map.of(
                "i0", new boolean[] {true, false}, "i1", new boolean[] {true, false}, "i2", new boolean[] {false, true});

        RankingMetrics metrics = RankingMetrics.of(model, new UserSplit(train, test), 3, genres);

        // Pairs (0,1) identical, (0,2) and (1,2) disjoint: mean similarity 1/3.
        assertThat(metrics.diversity()).isCloseTo(2 / 3.0, within(1e-12));
    }
}
