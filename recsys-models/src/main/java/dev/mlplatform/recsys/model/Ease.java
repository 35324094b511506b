package dev.mlplatform.recsys.model;

import dev.mlplatform.recsys.evaluation.Interactions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): an item-item weight matrix
 * {@code B} learnt in closed form from the user-item matrix {@code X}, minimising
 * {@code ||X - XB||² + λ||B||²} with a zero diagonal (an item may not explain itself):
 * {@code P = (XᵀX + λI)⁻¹}, {@code B = I - P · diag(1 / diag(P))}. A user's scores are their row of {@code XB}.
 *
 * <p>One inversion of an items × items matrix: seconds for MovieLens' 1,682 items, a cluster job for a
 * catalogue of 100,000 (where the Gram matrix is built per item block and the inverse by a distributed solver).
 */
public final class Ease implements Recommender {

    private final double lambda;
    private Interactions train;
    private double[][] weights;

    /** @param lambda the L2 penalty; larger for denser data (the paper used 500 on MovieLens 20M) */
    public Ease(double lambda) {
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("lambda must be positive, got " + lambda);
        }
        this.lambda = lambda;
    }

    @Override
    public String name() {
        return "ease";
    }

    public double lambda() {
        return lambda;
    }

    @Override
    public void fit(Interactions train) {
        fit(train, gram(train));
    }

    /**
     * Fits on the Gram matrix {@code XᵀX} of {@code train} computed elsewhere (by Spark over the lake, say):
     * the same model as {@link #fit(Interactions)}. {@code gram} is left as it is, so that one Gram matrix can
     * serve several penalties.
     */
    public void fit(Interactions train, double[][] gram) {
        int n = train.items();
        if (gram.length != n) {
            throw new IllegalArgumentException("a Gram matrix of " + gram.length + " items for " + n + " items");
        }
        this.train = train;
        double[][] penalised = new double[n][];
        for (int i = 0; i < n; i++) {
            penalised[i] = gram[i].clone();
            penalised[i][i] += lambda;
        }
        RealMatrix inverse = new CholeskyDecomposition(new Array2DRowRealMatrix(penalised, false)).getSolver().getInverse();
        double[][] p = inverse.getData();
        weights = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                weights[i][j] = i == j ? 0 : -p[i][j] / p[j][j];
            }
        }
    }

    /** {@code XᵀX} of the binary user-item matrix: how many users have both items (the diagonal: each item's users). */
    public static double[][] gram(Interactions train) {
        int n = train.items();
        double[][] gram = new double[n][n];
        for (int u = 0; u < train.users(); u++) {
            int[] items = train.itemsOf(u);
            for (int a : items) {
                double[] row = gram[a];
                for (int b : items) {
                    row[b]++;
                }
            }
        }
        return gram;
    }

    /** The learnt item-item matrix {@code B}, row per item (not a copy: read it, do not change it). */
    public double[][] weights() {
        return weights;
    }

    /**
     * Each item's {@code perItem} largest weights in its row of {@code B}, best first: the item-item artifact that
     * serving reads. With {@code perItem} at least items − 1 it scores exactly as the model does.
     */
    public ItemNeighbours neighbours(int perItem) {
        Map<String, List<ItemNeighbours.Neighbour>> neighbours = new LinkedHashMap<>();
        for (int i = 0; i < weights.length; i++) {
            double[] row = weights[i];
            int self = i;
            neighbours.put(train.itemId(i), IntStream.range(0, row.length)
                    .filter(j -> j != self)
                    .boxed()
                    .sorted(Comparator.comparingDouble((Integer j) -> row[j]).reversed().thenComparingInt(j -> j))
                    .limit(perItem)
                    .map(j -> new ItemNeighbours.Neighbour(train.itemId(j), (float) row[j]))
                    .toList());
        }
        return new ItemNeighbours(neighbours);
    }

    @Override
    public double[] scores(int user) {
        return scores(train.itemsOf(user), weights);
    }

    /** The scores of a user who has {@code items}: the sum of their rows of {@code weights} ({@code B}). */
    public static double[] scores(int[] items, double[][] weights) {
        double[] scores = new double[weights.length];
        for (int item : items) {
            double[] row = weights[item];
            for (int j = 0; j < scores.length; j++) {
                scores[j] += row[j];
            }
        }
        return scores;
    }
}
