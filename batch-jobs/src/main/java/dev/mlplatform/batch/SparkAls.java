package dev.mlplatform.batch;

import dev.mlplatform.recsys.evaluation.Interactions;
import dev.mlplatform.recsys.model.ItemVectors;
import dev.mlplatform.recsys.model.Recommender;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Spark MLlib's ALS for implicit feedback (Hu, Koren, Volinsky 2008): each (user, item) with a strength r has the
 * preference 1 and the confidence 1 + alpha·r, every other pair the preference 0 and confidence 1; user and item
 * factors of {@code rank} dimensions minimise the confidence-weighted squared error plus {@code regParam} times
 * their norms. The baseline the platform's own models must beat, behind the same {@link Recommender} interface so
 * that it is evaluated by exactly the same protocol. The factors are collected to the driver after the fit.
 */
public final class SparkAls implements Recommender {

    /**
     * @param rank       factor dimensions
     * @param regParam   L2 penalty (Spark scales it by each user's and item's number of interactions)
     * @param alpha      how much a unit of strength adds to the confidence
     * @param iterations alternating least-squares sweeps
     */
    public record Params(int rank, double regParam, double alpha, int iterations) {

        public Params {
            if (rank < 1 || !(regParam >= 0) || !(alpha >= 0) || iterations < 1) {
                throw new IllegalArgumentException("ALS needs rank >= 1, regParam >= 0, alpha >= 0, iterations >= 1; got "
                        + rank + ", " + regParam + ", " + alpha + ", " + iterations);
            }
        }

        /** For lineage and reports. */
        public Map<String, String> asText() {
            Map<String, String> text = new LinkedHashMap<>();
            text.put("rank", Integer.toString(rank));
            text.put("reg_param", Double.toString(regParam));
            text.put("alpha", Double.toString(alpha));
            text.put("iterations", Integer.toString(iterations));
            return text;
        }

        @Override
        public String toString() {
            return "rank " + rank + ", regParam " + regParam + ", alpha " + alpha + ", " + iterations + " iterations";
        }
    }

    /**
     * The settings tried on an inner split, as {@code RecsEvaluateCli} tries EASE's penalties: around the best of a
     * wider search on ML-100k (ranks 16 to 128, regParam 0.01 to 10, alpha 0.1 to 10), where a larger rank, more
     * iterations or alpha above 1 did not rank better and regParam 1 or more ranked far worse.
     */
    public static final List<Params> GRID = grid();

    private final SparkSession spark;
    private final Params params;
    private final long seed;
    private Interactions train;
    private float[][] userFactors;
    private float[][] itemFactors;

    public SparkAls(SparkSession spark, Params params, long seed) {
        this.spark = spark;
        this.params = params;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "als";
    }

    public Params params() {
        return params;
    }

    /** Fits on the binary interactions: every strength 1. */
    @Override
    public void fit(Interactions train) {
        fit(train, LakeInteractions.indexed(spark, train));
    }

    /**
     * Fits on indexed user items ({@link LakeInteractions#indexed}) whose indices are those of {@code train}, their
     * strengths as the implicit ratings. Users and items without rows get zero factors, and so scores of zero.
     */
    public void fit(Interactions train, Dataset<Row> indexed) {
        int blocks = spark.sparkContext().defaultParallelism();
        ALSModel model = new ALS()
                .setImplicitPrefs(true)
                .setRank(params.rank())
                .setRegParam(params.regParam())
                .setAlpha(params.alpha())
                .setMaxIter(params.iterations())
                .setUserCol(LakeInteractions.USER_INDEX)
                .setItemCol(LakeInteractions.ITEM_INDEX)
                .setRatingCol(LakeInteractions.STRENGTH)
                // One block per core: the default of 10 splits small data into more tasks than there is work.
                .setNumBlocks(blocks)
                .setSeed(seed)
                .fit(indexed);
        this.train = train;
        this.userFactors = factors(model.userFactors(), train.users(), params.rank());
        this.itemFactors = factors(model.itemFactors(), train.items(), params.rank());
    }

    /** Each user's factors by index (not a copy: read them, do not change them). */
    public float[][] userFactors() {
        return userFactors;
    }

    /** Each item's factors by index (not a copy: read them, do not change them). */
    public float[][] itemFactors() {
        return itemFactors;
    }

    @Override
    public double[] scores(int user) {
        return scores(userFactors[user], itemFactors);
    }

    /** The user's factors dotted with every item's. */
    public static double[] scores(float[] user, float[][] items) {
        double[] scores = new double[items.length];
        for (int i = 0; i < items.length; i++) {
            float[] item = items[i];
            double dot = 0;
            for (int d = 0; d < user.length; d++) {
                dot += user[d] * item[d];
            }
            scores[i] = dot;
        }
        return scores;
    }

    /** The item factors as the registry's item-vector artifact, by item id. */
    public ItemVectors itemVectors() {
        List<String> ids = new ArrayList<>(train.items());
        for (int i = 0; i < train.items(); i++) {
            ids.add(train.itemId(i));
        }
        return new ItemVectors(ids, itemFactors);
    }

    private static float[][] factors(Dataset<Row> factors, int count, int rank) {
        float[][] byIndex = new float[count][rank];
        for (Row row : factors.collectAsList()) {
            List<Float> vector = row.getList(1);
            float[] values = byIndex[row.getInt(0)];
            for (int d = 0; d < rank; d++) {
                values[d] = vector.get(d);
            }
        }
        return byIndex;
    }

    private static List<Params> grid() {
        List<Params> grid = new ArrayList<>();
        for (int rank : new int[] {16, 32}) {
            for (double regParam : new double[] {0.1, 0.3}) {
                for (double alpha : new double[] {0.3, 1}) {
                    grid.add(new Params(rank, regParam, alpha, 10));
                }
            }
        }
        return List.copyOf(grid);
    }
}
