package dev.mlplatform.recsys.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlplatform.recsys.evaluation.Interactions;
import dev.mlplatform.recsys.evaluation.RankingMetrics;
import dev.mlplatform.recsys.evaluation.UserSplit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EaseTest {

    /**
     * Two tastes: users of the first half like items 0..19, the others 20..39, and everyone also takes a few
     * of 40 popular-with-everyone items.
     */
    private static Interactions twoTastes(Random random) {
        List<String[]> pairs = new ArrayList<>();
        for (int u = 0; u < 200; u++) {
            int base = u < 100 ? 0 : 20;
            for (int i = 0; i < 20; i++) {
                if (random.nextDouble() < 0.5) {
                    pairs.add(new String[] {"u" + u, "i" + (base + i)});
                }
            }
            for (int i = 40; i < 80; i++) {
                if (random.nextDouble() < 0.15) {
                    pairs.add(new String[] {"u" + u, "i" + i});
                }
            }
        }
        return Interactions.of(pairs);
    }

    @Test
    void learnsTheTastesThatPopularityCannotSee() {
        Interactions all = twoTastes(new Random(3));
        UserSplit split = UserSplit.of(all, 0.75, 42);
        Ease ease = new Ease(10);
        ease.fit(split.train());
        MostPopular popular = new MostPopular();
        popular.fit(split.train());

        double easeNdcg = RankingMetrics.of(ease, split, 10, Map.of()).ndcg();
        double popularNdcg = RankingMetrics.of(popular, split, 10, Map.of()).ndcg();

        assertThat(easeNdcg).isGreaterThan(2 * popularNdcg);
    }

    @Test
    void anItemNeverExplainsItself() {
        List<String[]> pairs = new ArrayList<>();
        pairs.add(new String[] {"solo", "i0"});
        Random random = new Random(5);
        for (int u = 0; u < 50; u++) {
            for (int i = 0; i < 10; i++) {
                if (random.nextBoolean()) {
                    pairs.add(new String[] {"u" + u, "i" + i});
                }
            }
        }
        Interactions all = Interactions.of(pairs);
        Ease ease = new Ease(10);
        ease.fit(all);

        double[] scores = ease.scores(0);

        // The solo user's only item scores by the zero diagonal alone; the others by what co-occurs with it.
        assertThat(scores[0]).isZero();
        assertThat(scores).hasSize(all.items());
        assertThat(Arrays.stream(scores).anyMatch(score -> score > 0)).isTrue();
        assertThatThrownBy(() -> new Ease(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fitsFromAGramMatrixOfCoOccurrencesThatSeveralPenaltiesCanShare() {
        Interactions all = Interactions.of(List.of(new String[] {"a", "x"}, new String[] {"a", "y"},
                new String[] {"b", "x"}, new String[] {"b", "y"}, new String[] {"b", "z"}, new String[] {"c", "z"}));
        double[][] expected = {{2, 2, 1}, {2, 2, 1}, {1, 1, 2}};

        double[][] gram = Ease.gram(all);
        Ease small = new Ease(1);
        small.fit(all, gram);
        Ease large = new Ease(50);
        large.fit(all, gram);

        assertThat(gram).as("x and y share users a and b; z has b and c").isDeepEqualTo(expected);
        assertThat(small.scores(2)[0]).as("c's z suggests x, more so with less penalty")
                .isGreaterThan(large.scores(2)[0]).isPositive();
        assertThatThrownBy(() -> new Ease(1).fit(all, new double[2][2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 items for 3");
    }

    @Test
    void itsNeighboursAreTheLargestWeightsAndScoreExactlyWhenTheyAreAll() {
        Interactions all = twoTastes(new Random(9));
        Ease ease = new Ease(10);
        ease.fit(all);

        ItemNeighbours everything = ease.neighbours(all.items() - 1);
        ItemNeighbours top = ease.neighbours(3);

        double[] scores = ease.scores(0);
        for (int item = 0; item < all.items(); item++) {
            double fromNeighbours = 0;
            for (int own : all.itemsOf(0)) {
                for (ItemNeighbours.Neighbour neighbour : everything.of(all.itemId(own))) {
                    fromNeighbours += neighbour.itemId().equals(all.itemId(item)) ? neighbour.weight() : 0;
                }
            }
            assertThat(fromNeighbours).isCloseTo(scores[item], within(1e-5));
        }
        String first = all.itemId(0);
        double[] row = ease.weights()[0];
        double largest = Arrays.stream(row).max().orElseThrow();
        assertThat(top.of(first)).hasSize(3);
        assertThat(top.of(first).get(0).weight()).isEqualTo((float) largest);
        assertThat(top.of(first)).extracting(ItemNeighbours.Neighbour::weight).isSortedAccordingTo((a, b) -> Float.compare(b, a));
        assertThat(top.of(first)).extracting(ItemNeighbours.Neighbour::itemId).doesNotContain(first);
    }
}
