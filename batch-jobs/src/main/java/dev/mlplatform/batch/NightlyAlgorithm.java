package dev.mlplatform.batch;

import dev.mlplatform.core.registry.ModelFormat;
import dev.mlplatform.recsys.evaluation.Interactions;
import dev.mlplatform.recsys.evaluation.UserSplit;
import dev.mlplatform.recsys.model.Ease;
import dev.mlplatform.recsys.model.Recommender;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A model as the nightly job trains it with Spark: its settings chosen on an inner split, a fit on indexed user
 * items ({@link LakeInteractions#indexed}), its registry artifact, and its scorer for the candidates.
 */
sealed interface NightlyAlgorithm {

    /** Each item's neighbours kept in the EASE artifact. */
    int NEIGHBOURS = 100;

    static NightlyAlgorithm named(String name, SparkSession spark, long seed) {
        return switch (name) {
            case "ease" -> new EaseAlgorithm();
            case "als" -> new AlsAlgorithm(spark, seed);
            default -> throw new IllegalArgumentException("--algorithm: ease or als, got '" + name + "'");
        };
    }

    String name();

    /**
     * Chooses the settings on {@code inner}, a split of the evaluation's training part, fitting on the rows of
     * {@code indexed} that are in {@code inner.train()}. Returns them as text, for the lineage.
     */
    Map<String, String> tune(UserSplit inner, Dataset<Row> indexed, int k, PrintStream progress);

    /** The chosen settings fitted on {@code part}, from its indexed rows (same indices). */
    Recommender fit(Interactions part, Dataset<Row> indexedPart);

    ModelFormat format();

    void writeArtifact(Recommender fitted, OutputStream out) throws IOException;

    Candidates.UserScorer scorer(Recommender fitted, JavaSparkContext context);

    /** EASE: the Gram matrix by Spark, the solve on the driver; the artifact is each item's top neighbours. */
    final class EaseAlgorithm implements NightlyAlgorithm {

        private double lambda;

        @Override
        public String name() {
            return "ease";
        }

        @Override
        public Map<String, String> tune(UserSplit inner, Dataset<Row> indexed, int k, PrintStream progress) {
            // One Gram matrix serves every penalty: only the solve depends on it.
            double[][] gram = SparkEase.gram(LakeInteractions.restrictedTo(indexed, inner.train()), inner.train().items());
            lambda = InnerSplitTuning.best(inner, InnerSplitTuning.EASE_LAMBDAS, candidate -> {
                Ease ease = new Ease(candidate);
                ease.fit(inner.train(), gram);
                return ease;
            }, k, "ease lambda", progress);
            Map<String, String> params = new LinkedHashMap<>();
            params.put("lambda", Double.toString(lambda));
            params.put("neighbours", Integer.toString(NEIGHBOURS));
            return params;
        }

        @Override
        public Recommender fit(Interactions part, Dataset<Row> indexedPart) {
            Ease ease = new Ease(lambda);
            ease.fit(part, SparkEase.gram(indexedPart, part.items()));
            return ease;
        }

        @Override
        public ModelFormat format() {
            return ModelFormat.ITEM_NEIGHBOURS;
        }

        @Override
        public void writeArtifact(Recommender fitted, OutputStream out) throws IOException {
            ((Ease) fitted).neighbours(NEIGHBOURS).write(out);
        }

        @Override
        public Candidates.UserScorer scorer(Recommender fitted, JavaSparkContext context) {
            Broadcast<double[][]> weights = context.broadcast(((Ease) fitted).weights());
            return (user, items) -> Ease.scores(items, weights.value());
        }
    }

    /** Spark MLlib's implicit ALS, confidence from the summed strengths; the artifact is the item factors. */
    final class AlsAlgorithm implements NightlyAlgorithm {

        private final SparkSession spark;
        private final long seed;
        private SparkAls.Params params;

        AlsAlgorithm(SparkSession spark, long seed) {
            this.spark = spark;
            this.seed = seed;
        }

        @Override
        public String name() {
            return "als";
        }

        @Override
        public Map<String, String> tune(UserSplit inner, Dataset<Row> indexed, int k, PrintStream progress) {
            Dataset<Row> innerTrain = LakeInteractions.restrictedTo(indexed, inner.train());
            params = InnerSplitTuning.best(inner, SparkAls.GRID, candidate -> {
                SparkAls als = new SparkAls(spark, candidate, seed);
                als.fit(inner.train(), innerTrain);
                return als;
            }, k, "als", progress);
            return params.asText();
        }

        @Override
        public Recommender fit(Interactions part, Dataset<Row> indexedPart) {
            SparkAls als = new SparkAls(spark, params, seed);
            als.fit(part, indexedPart);
            return als;
        }

        @Override
        public ModelFormat format() {
            return ModelFormat.ITEM_VECTORS;
        }

        @Override
        public void writeArtifact(Recommender fitted, OutputStream out) throws IOException {
            ((SparkAls) fitted).itemVectors().write(out);
        }

        @Override
        public Candidates.UserScorer scorer(Recommender fitted, JavaSparkContext context) {
            Broadcast<float[][]> users = context.broadcast(((SparkAls) fitted).userFactors());
            Broadcast<float[][]> items = context.broadcast(((SparkAls) fitted).itemFactors());
            return (user, owned) -> SparkAls.scores(users.value()[user], items.value());
        }
    }
}
