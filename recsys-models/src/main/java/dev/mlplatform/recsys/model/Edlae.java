package dev.mlplatform.recsys.model;

import dev.mlplatform.recsys.evaluation.Interactions;
import dev.mlplatform.recsys.evaluation.RankingMetrics;
import dev.mlplatform.recsys.evaluation.UserSplit;
import java.io.PrintStream;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;

/**
 * EDLAE (Steck, "Autoencoders that don't overfit towards the Identity", NeurIPS 2020): {@link Ease} trained as if
 * each input item were dropped with probability {@code p}, in closed form. The dropout becomes an L2 penalty on
 * each item's row of {@code B} that grows with the item's own count, {@code Λ = λI + p/(1−p)·diag(XᵀX)}, so that
 * popular items, which EASE's single {@code λ} under-regularises, are held back as much as rare ones:
 * {@code P = (XᵀX + Λ)⁻¹}, {@code B = I − P · diag(1 / diag(P))} (the zero diagonal of "full emphasis").
 * With {@code p = 0} it is EASE.
 */
public final class Edlae implements Recommender {

    static final double[] LAMBDAS = {100, 200, 400, 800, 1600};
    static final double[] DROPOUTS = {0, 0.25, 0.5};

    private final double lambda;
    private final double dropout;
    private Interactions train;
    private double[][] weights;

    /**
     * @param lambda  the L2 penalty every item shares
     * @param dropout the input dropout probability {@code p}, in [0, 1)
     */
    public Edlae(double lambda, double dropout) {
        if (!(lambda > 0) || !(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("need lambda > 0 and 0 <= dropout < 1, got " + lambda + ", " + dropout);
        }
        this.lambda = lambda;
        this.dropout = dropout;
    }

    /**
     * EDLAE with the penalty and dropout ({@link #LAMBDAS} × {@link #DROPOUTS}) that rank best by nDCG@k on a
     * split of {@code train} alone ({@code seed + 1}, as for EASE): the test part is never seen. Not fitted.
     */
    public static Edlae tuned(Interactions train, int k, long seed, PrintStream progress) {
        UserSplit inner = UserSplit.of(train, 0.75, seed + 1);
        Edlae best = null;
        double bestNdcg = -1;
        for (double dropout : DROPOUTS) {
            for (double lambda : LAMBDAS) {
                Edlae candidate = new Edlae(lambda, dropout);
                candidate.fit(inner.train());
                double ndcg = RankingMetrics.of(candidate, inner, k, Map.of()).ndcg();
                progress.printf("  edlae lambda %.0f dropout %.2f: validation nDCG@%d %.4f%n", lambda, dropout, k, ndcg);
                if (ndcg > bestNdcg) {
                    bestNdcg = ndcg;
                    best = candidate;
                }
            }
        }
        return new Edlae(best.lambda, best.dropout);
    }

    @Override
    public String name() {
        return "edlae";
    }

    public double lambda() {
        return lambda;
    }

    public double dropout() {
        return dropout;
    }

    @Override
    public void fit(Interactions train) {
        this.train = train;
        int n = train.items();
        double[][] penalised = new double[n][n];
        for (int u = 0; u < train.users(); u++) {
            int[] items = train.itemsOf(u);
            for (int a : items) {
                double[] row = penalised[a];
                for (int b : items) {
                    row[b]++;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            penalised[i][i] += lambda + dropout / (1 - dropout) * penalised[i][i];
        }
        double[][] p = new CholeskyDecomposition(new Array2DRowRealMatrix(penalised, false)).getSolver().getInverse()
                .getData();
        weights = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                weights[i][j] = i == j ? 0 : -p[i][j] / p[j][j];
            }
        }
    }

    @Override
    public double[] scores(int user) {
        double[] scores = new double[train.items()];
        for (int item : train.itemsOf(user)) {
            double[] row = weights[item];
            for (int j = 0; j < scores.length; j++) {
                scores[j] += row[j];
            }
        }
        return scores;
    }
}
