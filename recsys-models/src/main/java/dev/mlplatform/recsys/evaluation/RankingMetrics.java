package dev.mlplatform.recsys.evaluation;

import dev.mlplatform.recsys.model.Recommender;
import java.util.Arrays;
import java.util.Map;

/**
 * Top-k metrics by the protocol of the published MovieLens tables (Microsoft Recommenders): for each user with
 * test items, the k best-scored items the user has not interacted with in training; every test item is
 * relevant. Averages over those users:
 * <ul>
 *   <li>nDCG@k: discounted gain of the hits over that of an ideal list (binary relevance);</li>
 *   <li>precision@k: hits / k; recall@k: hits / the user's test items;</li>
 *   <li>MAP: the sum of the precision at each hit's rank, divided by the user's test items (their definition,
 *       not by min(k, test items));</li>
 * </ul>
 * and over the lists together: catalogue coverage (distinct items recommended / items) and intra-list
 * diversity (1 − the mean pairwise cosine similarity of the items' genre vectors; NaN without genres).
 *
 * @param users the users evaluated (those with test items)
 */
public record RankingMetrics(int k, int users, double ndcg, double precision, double recall, double map,
                             double coverage, double diversity) {

    /** Fits nothing: ranks with {@code fitted}, already fitted on {@code split.train()}. */
    public static RankingMetrics of(Recommender fitted, UserSplit split, int k, Map<String, boolean[]> genres) {
        Interactions train = split.train();
        Interactions test = split.test();
        boolean[] recommended = new boolean[train.items()];
        double ndcg = 0;
        double precision = 0;
        double recall = 0;
        double map = 0;
        double diversity = 0;
        int users = 0;
        for (int u = 0; u < test.users(); u++) {
            int[] relevant = test.itemsOf(u);
            if (relevant.length == 0) {
                continue;
            }
            int[] top = topK(fitted.scores(u), train.itemsOf(u), k);
            int hits = 0;
            double dcg = 0;
            double averagePrecision = 0;
            for (int rank = 0; rank < top.length; rank++) {
                recommended[top[rank]] = true;
                if (Arrays.binarySearch(relevant, top[rank]) >= 0) {
                    hits++;
                    dcg += 1 / log2(rank + 2);
                    averagePrecision += (double) hits / (rank + 1);
                }
            }
            double ideal = 0;
            for (int rank = 0; rank < Math.min(k, relevant.length); rank++) {
                ideal += 1 / log2(rank + 2);
            }
            ndcg += dcg / ideal;
            precision += (double) hits / k;
            recall += (double) hits / relevant.length;
            map += averagePrecision / relevant.length;
            diversity += intraListDiversity(top, train, genres);
            users++;
        }
        int covered = 0;
        for (boolean item : recommended) {
            covered += item ? 1 : 0;
        }
        return new RankingMetrics(k, users, ndcg / users, precision / users, recall / users, map / users,
                (double) covered / train.items(), genres.isEmpty() ? Double.NaN : diversity / users);
    }

    /** The {@code k} best-scored items not in {@code exclude} (sorted), best first; ties to the lower index. */
    public static int[] topK(double[] scores, int[] exclude, int k) {
        int[] top = new int[k];
        double[] best = new double[k];
        int size = 0;
        for (int item = 0; item < scores.length; item++) {
            if (Arrays.binarySearch(exclude, item) >= 0) {
                continue;
            }
            double score = scores[item];
            if (size == k && score <= best[k - 1]) {
                continue;
            }
            int at = size == k ? k - 1 : size++;
            while (at > 0 && best[at - 1] < score) {
                best[at] = best[at - 1];
                top[at] = top[at - 1];
                at--;
            }
            best[at] = score;
            top[at] = item;
        }
        return Arrays.copyOf(top, size);
    }

    private static double intraListDiversity(int[] list, Interactions data, Map<String, boolean[]> genres) {
        if (genres.isEmpty() || list.length < 2) {
            return 0;
        }
        double similarity = 0;
        int pairs = 0;
        for (int a = 0; a < list.length; a++) {
            for (int b = a + 1; b < list.length; b++) {
                similarity += cosine(genres.get(data.itemId(list[a])), genres.get(data.itemId(list[b])));
                pairs++;
            }
        }
        return 1 - similarity / pairs;
    }

    private static double cosine(boolean[] x, boolean[] y) {
        if (x == null || y == null) {
            return 0;
        }
        int both = 0;
        int inX = 0;
        int inY = 0;
        for (int g = 0; g < Math.min(x.length, y.length); g++) {
            both += x[g] && y[g] ? 1 : 0;
            inX += x[g] ? 1 : 0;
            inY += y[g] ? 1 : 0;
        }
        return inX == 0 || inY == 0 ? 0 : both / Math.sqrt((double) inX * inY);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
