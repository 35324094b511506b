package dev.mlplatform.batch;

import dev.mlplatform.recsys.evaluation.Interactions;
import dev.mlplatform.recsys.evaluation.RankingMetrics;
import dev.mlplatform.recsys.evaluation.UserSplit;
import dev.mlplatform.recsys.model.Recommender;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Chooses a model's settings without ever seeing the test part: each candidate is fitted on a split of the
 * training part alone and ranked by nDCG@k on that split's own held-out part.
 */
final class InnerSplitTuning {

    /** EASE's penalties to choose from. */
    static final List<Double> EASE_LAMBDAS = List.of(100.0, 200.0, 400.0, 800.0, 1600.0);

    private InnerSplitTuning() {
    }

    /** The training part's own per-user 75 / 25 split, with the seed after the outer split's. */
    static UserSplit innerSplit(Interactions train, long seed) {
        return UserSplit.of(train, 0.75, seed + 1);
    }

    /**
     * The candidate whose model ranks best on {@code inner.test()}.
     *
     * @param fitOnInnerTrain a candidate's model, fitted on {@code inner.train()}
     * @param label           names the setting in the progress lines, e.g. "ease lambda"
     */
    static <P> P best(UserSplit inner, List<P> candidates, Function<P, Recommender> fitOnInnerTrain, int k,
                      String label, PrintStream progress) {
        P best = null;
        double bestNdcg = -1;
        for (P candidate : candidates) {
            long started = System.nanoTime();
            double ndcg = RankingMetrics.of(fitOnInnerTrain.apply(candidate), inner, k, Map.of()).ndcg();
            progress.printf("  %s %s: validation nDCG@%d %.4f (%.1f s)%n", label, candidate, k, ndcg,
                    (System.nanoTime() - started) / 1e9);
            if (ndcg > bestNdcg) {
                bestNdcg = ndcg;
                best = candidate;
            }
        }
        return best;
    }
}
