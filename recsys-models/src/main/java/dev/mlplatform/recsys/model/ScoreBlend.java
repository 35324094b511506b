package dev.mlplatform.recsys.model;

import dev.mlplatform.recsys.evaluation.Interactions;
import dev.mlplatform.recsys.evaluation.RankingMetrics;
import dev.mlplatform.recsys.evaluation.UserSplit;
import java.io.PrintStream;
import java.util.Map;

/**
 * Two recommenders in one: each one's scores for a user standardised over the catalogue (mean 0, standard
 * deviation 1, so that neither wins by its scale), then mixed as {@code (1 − w)·first + w·second}. Worth it when
 * the two err differently: an item-item model that sees co-occurrence and a two-tower model that also sees genres.
 */
public final class ScoreBlend implements Recommender {

    static final double[] WEIGHTS = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1};

    private final String name;
    private final Recommender first;
    private final Recommender second;
    private final double secondWeight;

    /** @param secondWeight {@code w}, the share of the second model, in [0, 1] */
    public ScoreBlend(String name, Recommender first, Recommender second, double secondWeight) {
        if (!(secondWeight >= 0 && secondWeight <= 1)) {
            throw new IllegalArgumentException("the second model's weight must lie in [0, 1], got " + secondWeight);
        }
        this.name = name;
        this.first = first;
        this.second = second;
        this.secondWeight = secondWeight;
    }

    /**
     * EDLAE and the two-tower model, blended: EDLAE's penalty and dropout, then the weight, chosen by nDCG@k on a
     * split of {@code train} alone ({@code seed + 1}); the test part is never seen. Not fitted.
     */
    public static ScoreBlend edlaeTwoTower(Interactions train, int k, long seed, Map<String, boolean[]> genres,
                                           PrintStream progress) {
        Edlae edlae = Edlae.tuned(train, k, seed, progress);
        UserSplit inner = UserSplit.of(train, 0.75, seed + 1);
        Edlae innerEdlae = new Edlae(edlae.lambda(), edlae.dropout());
        innerEdlae.fit(inner.train());
        TwoTower innerTwoTower = new TwoTower(TwoTower.Config.defaults(seed), genres, progress);
        innerTwoTower.fit(inner.train());
        double weight = tunedWeight("edlae+two-tower", innerEdlae, innerTwoTower, inner, k, progress);
        return new ScoreBlend("edlae+two-tower", edlae, new TwoTower(TwoTower.Config.defaults(seed), genres, progress),
                weight);
    }

    /**
     * The second model's weight with the best nDCG@k on {@code inner}, the two models already fitted on
     * {@code inner.train()}.
     */
    public static double tunedWeight(String name, Recommender innerFirst, Recommender innerSecond, UserSplit inner,
                                     int k, PrintStream progress) {
        double bestWeight = 0;
        double bestNdcg = -1;
        for (double weight : WEIGHTS) {
            double ndcg = RankingMetrics.of(new ScoreBlend("validation", innerFirst, innerSecond, weight), inner, k,
                    Map.of()).ndcg();
            progress.printf("  %s weight %.1f: validation nDCG@%d %.4f%n", name, weight, k, ndcg);
            if (ndcg > bestNdcg) {
                bestNdcg = ndcg;
                bestWeight = weight;
            }
        }
        return bestWeight;
    }

    @Override
    public String name() {
        return name;
    }

    public double secondWeight() {
        return secondWeight;
    }

    @Override
    public void fit(Interactions train) {
        first.fit(train);
        second.fit(train);
    }

    @Override
    public double[] scores(int user) {
        double[] blended = standardised(first.scores(user));
        double[] other = standardised(second.scores(user));
        for (int item = 0; item < blended.length; item++) {
            blended[item] = (1 - secondWeight) * blended[item] + secondWeight * other[item];
        }
        return blended;
    }

    /** The scores less their mean, over their standard deviation (all zeros when they are all equal). */
    static double[] standardised(double[] scores) {
        double mean = 0;
        for (double score : scores) {
            mean += score;
        }
        mean /= scores.length;
        double squares = 0;
        for (double score : scores) {
            squares += (score - mean) * (score - mean);
        }
        double deviation = Math.sqrt(squares / scores.length);
        double[] standardised = new double[scores.length];
        for (int item = 0; item < scores.length; item++) {
            standardised[item] = deviation == 0 ? 0 : (scores[item] - mean) / deviation;
        }
        return standardised;
    }
}
