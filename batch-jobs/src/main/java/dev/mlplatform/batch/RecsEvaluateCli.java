package dev.mlplatform.batch;

import dev.mlplatform.core.cli.CommandOptions;
import dev.mlplatform.core.cli.CommandOptions.UsageException;
import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.recsys.evaluation.EvaluationChart;
import dev.mlplatform.recsys.evaluation.Interactions;
import dev.mlplatform.recsys.evaluation.MovieLensFiles;
import dev.mlplatform.recsys.evaluation.RankingMetrics;
import dev.mlplatform.recsys.evaluation.UserSplit;
import dev.mlplatform.recsys.model.Ease;
import dev.mlplatform.recsys.model.Edlae;
import dev.mlplatform.recsys.model.MostPopular;
import dev.mlplatform.recsys.model.Recommender;
import dev.mlplatform.recsys.model.ScoreBlend;
import dev.mlplatform.recsys.model.TwoTower;
import dev.mlplatform.simulators.recsys.InteractionSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * {@code ./platform recs evaluate [--data FILE] [--algorithm NAME] [--k 10] [--seed 42] [--out DIR] [--json]}: the published
 * MovieLens protocol (each user's interactions split 75 / 25 at random with a fixed seed, every test interaction
 * relevant, training items excluded, k = 10) for each algorithm, beside the published figures. Without
 * {@code --data}, the project's generator ({@link InteractionSimulator}) writes data of MovieLens 100K's size and
 * shape into the output directory first. The algorithms: most popular, EASE and Spark MLlib's implicit ALS (the
 * baseline; a local SparkSession starts only when it runs). EASE's penalty and ALS's rank, regularisation and alpha
 * are chosen on a split of the training part alone, never on the test part. The figures also go to
 * {@code evaluation.png} in the output directory (default: {@code .platform/recs-evaluate/<time>}). Progress goes to
 * stderr; with {@code --json} one result object goes to stdout.
 */
public final class RecsEvaluateCli {

    /**
     * The published ML-100k table (Microsoft Recommenders): nDCG@10, precision@10, recall@10 and MAP of each
     * algorithm, NaN where the table gives none.
     */
    static final Map<String, double[]> PUBLISHED = published();
    private static final Set<String> VALUED = Set.of("data", "algorithm", "k", "seed", "out");
    private static final Set<String> FLAGS = Set.of("json");

    private RecsEvaluateCli() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (UsageException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        } catch (IOException e) {
            System.err.println("error: cannot write the results: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(String[] args) throws IOException {
        CommandOptions options = CommandOptions.parse(List.of(args), VALUED, FLAGS);
        int k = Math.toIntExact(options.positiveLong("k", 10));
        long seed = options.positiveLong("seed", 42);
        String algorithm = options.string("algorithm", "all");
        boolean json = options.flag("json");
        Path out = options.has("out") ? Path.of(options.required("out")) : Path.of(System.getProperty("platform.home", "."))
                .resolve(".platform").resolve("recs-evaluate").resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                        .withZone(ZoneOffset.UTC).format(Instant.now()));
        Path file;
        if (options.has("data")) {
            file = Path.of(options.required("data"));
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--data: no such file: " + file);
            }
        } else {
            Path generated = out.resolve("generated");
            new InteractionSimulator(InteractionSimulator.Config.movieLens100kSized(seed)).writeMovieLensFiles(generated);
            file = generated.resolve("u.data");
            System.err.println("no --data: generated MovieLens 100K-sized data (seed " + seed + ") into " + generated);
        }

        Interactions all = MovieLensFiles.ratings(file);
        Map<String, boolean[]> genres = MovieLensFiles.genres(file.resolveSibling("u.item"));
        UserSplit split = UserSplit.of(all, 0.75, seed);
        System.err.printf("%s: %,d users, %,d items, %,d interactions; %,d train / %,d test (seed %d)%n", file,
                all.users(), all.items(), all.size(), split.train().size(), split.test().size(), seed);

        Map<String, Object> results = new LinkedHashMap<>();
        Map<String, RankingMetrics> measured = new LinkedHashMap<>();
        try (LazySpark spark = new LazySpark()) {
            Map<String, Supplier<Recommender>> algorithms = new LinkedHashMap<>();
            algorithms.put("most-popular", MostPopular::new);
            algorithms.put("ease", () -> tunedEase(split.train(), k, seed));
            algorithms.put("als", () -> tunedAls(spark.get(), split.train(), k, seed));
            algorithms.put("two-tower", () -> new TwoTower(TwoTower.Config.defaults(seed), genres, System.err));
            algorithms.put("edlae", () -> Edlae.tuned(split.train(), k, seed, System.err));
            algorithms.put("edlae+two-tower",
                    () -> ScoreBlend.edlaeTwoTower(split.train(), k, seed, genres, System.err));
            algorithms.put("edlae+als", () -> edlaeAls(spark.get(), split.train(), k, seed));
            if (!algorithm.equals("all") && !algorithms.containsKey(algorithm)) {
                throw new IllegalArgumentException("--algorithm: one of " + algorithms.keySet() + " or all, got '" + algorithm + "'");
            }
            for (Map.Entry<String, Supplier<Recommender>> entry : algorithms.entrySet()) {
                if (!algorithm.equals("all") && !algorithm.equals(entry.getKey())) {
                    continue;
                }
                long started = System.nanoTime();
                Recommender model = entry.getValue().get();
                double tuningSeconds = (System.nanoTime() - started) / 1e9;
                model.fit(split.train());
                double fitSeconds = (System.nanoTime() - started) / 1e9;
                RankingMetrics metrics = RankingMetrics.of(model, split, k, genres);
                measured.put(entry.getKey(), metrics);
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("ndcg_at_" + k, metrics.ndcg());
                result.put("precision_at_" + k, metrics.precision());
                result.put("recall_at_" + k, metrics.recall());
                result.put("map", metrics.map());
                result.put("coverage", metrics.coverage());
                result.put("diversity", Double.isNaN(metrics.diversity()) ? null : metrics.diversity());
                // fit_seconds: choosing the settings on the inner split and fitting them, tuning_seconds the first part.
                result.put("fit_seconds", fitSeconds);
                result.put("tuning_seconds", tuningSeconds);
                if (model instanceof Ease ease) {
                    result.put("lambda", ease.lambda());
                }
                if (model instanceof SparkAls als) {
                    result.put("rank", als.params().rank());
                    result.put("reg_param", als.params().regParam());
                    result.put("alpha", als.params().alpha());
                    result.put("iterations", als.params().iterations());
                }
                results.put(entry.getKey(), result);
                System.err.printf("  %-13s nDCG@%d %.4f  P@%d %.4f  R@%d %.4f  MAP %.4f  coverage %.3f  diversity %s  (%.1f s)%n",
                        entry.getKey(), k, metrics.ndcg(), k, metrics.precision(), k, metrics.recall(), metrics.map(),
                        metrics.coverage(), Double.isNaN(metrics.diversity()) ? "-" : String.format("%.3f", metrics.diversity()),
                        fitSeconds);
            }
        }
        Map<String, Double> publishedNdcg = new LinkedHashMap<>();
        PUBLISHED.forEach((name, values) -> publishedNdcg.put(name, values[0]));
        System.err.println("  published (ML-100k, nDCG@10): " + publishedNdcg);
        Path chart = out.resolve("evaluation.png");
        EvaluationChart.write(chart, k, measured, k == 10 ? PUBLISHED : Map.of());
        System.err.println("  chart: " + chart.toAbsolutePath().normalize());
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("data", file.toString());
            summary.put("users", all.users());
            summary.put("items", all.items());
            summary.put("interactions", all.size());
            summary.put("k", k);
            summary.put("seed", seed);
            summary.put("algorithms", results);
            summary.put("published_ndcg_at_10", publishedNdcg);
            summary.put("out", out.toAbsolutePath().normalize().toString());
            System.out.println(EventJson.MAPPER.writeValueAsString(summary));
        }
        return 0;
    }

    /** EASE with the penalty that ranks best on a split of the training part (the test part is never seen). */
    static Ease tunedEase(Interactions train, int k, long seed) {
        UserSplit inner = InnerSplitTuning.innerSplit(train, seed);
        double[][] gram = Ease.gram(inner.train());
        double lambda = InnerSplitTuning.best(inner, InnerSplitTuning.EASE_LAMBDAS, candidate -> {
            Ease ease = new Ease(candidate);
            ease.fit(inner.train(), gram);
            return ease;
        }, k, "ease lambda", System.err);
        return new Ease(lambda);
    }

    /** Spark's ALS with the settings of {@link SparkAls#GRID} that rank best on a split of the training part. */
    /**
     * EDLAE and Spark's ALS blended (ScoreBlend): each tuned on the inner split as alone, then the weight chosen on a
     * split of {@code train} ({@code seed + 1}) with both fitted on its training part. Not fitted.
     */
    static ScoreBlend edlaeAls(SparkSession spark, Interactions train, int k, long seed) {
        Edlae edlae = Edlae.tuned(train, k, seed, System.err);
        SparkAls als = tunedAls(spark, train, k, seed);
        UserSplit inner = UserSplit.of(train, 0.75, seed + 1);
        Edlae innerEdlae = new Edlae(edlae.lambda(), edlae.dropout());
        innerEdlae.fit(inner.train());
        SparkAls innerAls = new SparkAls(spark, als.params(), seed);
        innerAls.fit(inner.train());
        double weight = ScoreBlend.tunedWeight("edlae+als", innerEdlae, innerAls, inner, k, System.err);
        return new ScoreBlend("edlae+als", edlae, als, weight);
    }

    static SparkAls tunedAls(SparkSession spark, Interactions train, int k, long seed) {
        UserSplit inner = InnerSplitTuning.innerSplit(train, seed);
        SparkAls.Params params = InnerSplitTuning.best(inner, SparkAls.GRID, candidate -> {
            SparkAls als = new SparkAls(spark, candidate, seed);
            als.fit(inner.train());
            return als;
        }, k, "als", System.err);
        return new SparkAls(spark, params, seed);
    }

    /** A local SparkSession started on first use, so that the algorithms without Spark never wait for one. */
    private static final class LazySpark implements AutoCloseable {

        private SparkSession session;

        SparkSession get() {
            if (session == null) {
                session = LocalSpark.start("recs-evaluate", LocalSpark.master(System.getenv()));
            }
            return session;
        }

        @Override
        public void close() {
            if (session != null) {
                session.stop();
            }
        }
    }

    private static Map<String, double[]> published() {
        double unknown = Double.NaN;
        Map<String, double[]> published = new LinkedHashMap<>();
        published.put("BiVAE", new double[] {0.475, 0.412, 0.219, 0.146});
        published.put("BPR", new double[] {0.442, 0.388, 0.213, 0.132});
        published.put("LightGCN", new double[] {0.418, 0.361, 0.196, 0.122});
        published.put("NCF", new double[] {0.399, 0.350, 0.182, 0.109});
        published.put("SAR", new double[] {0.388, 0.334, 0.183, 0.113});
        published.put("SVD", new double[] {0.096, unknown, unknown, unknown});
        published.put("ALS", new double[] {0.047, unknown, unknown, unknown});
        return Collections.unmodifiableMap(published);
    }
}
