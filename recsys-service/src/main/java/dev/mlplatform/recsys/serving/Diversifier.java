package dev.mlplatform.recsys.serving;

import dev.mlplatform.recsys.ranking.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleBiFunction;

/**
 * Maximal marginal relevance (Carbonell and Goldstein, 1998): picks, one at a time, the candidate that maximises
 * {@code (1 - diversity) · score - diversity · max similarity to those already picked}. With diversity 0 it is
 * the ranking by score; raising it trades a little relevance for a list that is not ten of the same.
 */
public final class Diversifier {

    private Diversifier() {
    }

    /**
     * @param ranked     candidates, best score first; scores in [0, 1] are comparable with similarities
     * @param similarity of two item ids, in [0, 1]
     */
    public static List<ScoredItem> select(List<ScoredItem> ranked, int k, double diversity,
                                          ToDoubleBiFunction<String, String> similarity) {
        List<ScoredItem> remaining = new ArrayList<>(ranked);
        List<ScoredItem> chosen = new ArrayList<>(Math.min(k, ranked.size()));
        double[] maxSimilarity = new double[remaining.size()];
        while (chosen.size() < k && !remaining.isEmpty()) {
            int best = 0;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < remaining.size(); i++) {
                double value = (1 - diversity) * remaining.get(i).score() - diversity * maxSimilarity[i];
                if (value > bestValue) {
                    bestValue = value;
                    best = i;
                }
            }
            ScoredItem picked = remaining.remove(best);
            System.arraycopy(maxSimilarity, best + 1, maxSimilarity, best, remaining.size() - best);
            chosen.add(picked);
            if (diversity > 0) {
                for (int i = 0; i < remaining.size(); i++) {
                    maxSimilarity[i] = Math.max(maxSimilarity[i],
                            similarity.applyAsDouble(picked.itemId(), remaining.get(i).itemId()));
                }
            }
        }
        return chosen;
    }

    /** A candidate with its blended score and what explains it. */
    public record ScoredItem(String itemId, double score, Source source, String reason) {
    }
}
