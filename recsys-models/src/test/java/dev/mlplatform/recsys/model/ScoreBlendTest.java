package dev.mlplatform.recsys.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.mlplatform.recsys.evaluation.Interactions;
import dev.mlplatform.recsys.evaluation.RankingMetrics;
import dev.mlplatform.recsys.evaluation.UserSplit;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ScoreBlendTest {

    /** Scores fixed in advance, the same for every user. */
    private record Fixed(double... scores) implements Recommender {
        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public void fit(Interactions train) {
        }

        @Override
        public double[] scores(int user) {
            return scores.clone();
        }
    }

    private static int[] ranking(double[] scores) {
        return IntStream.range(0, scores.length).boxed()
                .sorted((a, b) -> Double.compare(scores[b], scores[a])).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void theWeightMovesTheRankingFromTheFirstModelToTheSecond() {
        Fixed first = new Fixed(10, 0, 0, 0);
        Fixed second = new Fixed(0, 1000, 2000, 3000);

        assertThat(ranking(new ScoreBlend("b", first, second, 0).scores(0))[0]).isEqualTo(0);
        assertThat(ranking(new ScoreBlend("b", first, second, 1).scores(0))).containsExactly(3, 2, 1, 0);
        // Raw scores mixed 0.7 / 0.3 would put item 3 first (900 against 7): standardised, the first model's
        // favourite keeps its place.
        assertThat(ranking(new ScoreBlend("b", first, second, 0.3).scores(0))[0]).isEqualTo(0);
    }

    @Test
    void standardisedScoresHaveMeanZeroAndDeviationOne() {
        double[] standardised = ScoreBlend.standardised(new double[] {5, 7, 9, 11});

        assertThat(Arrays.stream(standardised).sum()).isCloseTo(0, offset(1e-12));
        assertThat(Arrays.stream(standardised).map(x -> x * x).sum() / 4).isCloseTo(1, offset(1e-12));
        assertThat(ScoreBlend.standardised(new double[] {2, 2, 2})).containsOnly(0.0);
        assertThatThrownBy(() -> new ScoreBlend("b", first(), first(), 1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Recommender first() {
        return new Fixed(1, 2);
    }

    @Test
    void theTunedBlendLearnsTheTastesThatPopularityCannotSee() {
        Random random = new Random(3);
        List<String[]> pairs = new ArrayList<>();
        for (int u = 0; u < 200; u++) {
            int base = u % 2 == 0 ? 0 : 20;
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
        UserSplit split = UserSplit.of(Interactions.of(pairs), 0.75, 42);

        ScoreBlend blend = ScoreBlend.edlaeTwoTower(split.train(), 10, 42, Map.of(),
                new PrintStream(OutputStream.nullOutputStream()));
        blend.fit(split.train());
        MostPopular popular = new MostPopular();
        popular.fit(split.train());

        assertThat(ScoreBlend.WEIGHTS).contains(blend.secondWeight());
        assertThat(RankingMetrics.of(blend, split, 10, Map.of()).ndcg())
                .isGreaterThan(2 * RankingMetrics.of(popular, split, 10, Map.of()).ndcg());
    }
}
