package dev.mlplatform.batch;

import dev.mlplatform.core.cli.CommandOptions.UsageException;
import dev.mlplatform.core.cli.CommandOptions;
import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.registry.ArtifactStore;
import dev.mlplatform.core.registry.CodeVersion;
import dev.mlplatform.core.registry.Lineage;
import dev.mlplatform.core.registry.ModelFormat;
import dev.mlplatform.core.registry.ModelRegistration;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.featurestore.ErasureLog;
import dev.mlplatform.featurestore.FeatureStore;
import dev.mlplatform.featurestore.definitions.RecsysFeatures;
import dev.mlplatform.featurestore.registry.FeatureRegistry;
import dev.mlplatform.recsys.evaluation.Interactions;
import dev.mlplatform.recsys.evaluation.RankingMetrics;
import dev.mlplatform.recsys.evaluation.UserSplit;
import dev.mlplatform.recsys.model.Ease;
import dev.mlplatform.recsys.model.ItemNeighbours;
import dev.mlplatform.recsys.model.Recommender;
import dev.mlplatform.recsys.model.TwoTower;
import dev.mlplatform.recsys.model.TwoTowerModel;
import dev.mlplatform.recsys.ranking.Source;
import dev.mlplatform.simulators.recsys.InteractionSimulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code ./platform recs nightly [options]}: the nightly recommendation batch, with Spark.
 * <ol>
 *   <li>erase: the users whose erasure was requested since the last run, from the lake's files
 *       ({@link LakeErasure});</li>
 *   <li>read: the lake's interactions of the last {@code --days} days up to {@code --to} (or MovieLens-format
 *       ratings), one row per user and item with the summed strength;</li>
 *   <li>evaluate: the algorithm's settings chosen on an inner split, then a fit on each user's 75 % and nDCG@k,
 *       precision@k, recall@k, MAP and coverage on the held-out 25 % (the protocol of {@code recs evaluate});</li>
 *   <li>train: the same settings on all the data (EASE: the Gram matrix by Spark, the solve on the driver; ALS:
 *       Spark MLlib);</li>
 *   <li>register: the artifact (EASE: each item's top 100 neighbours; ALS: the item vectors) in the model registry
 *       with its metrics and lineage, promoted to production;</li>
 *   <li>candidates: each user's top {@value RecsysFeatures#CANDIDATES} items they have not interacted with,
 *       scored by Spark, written to the online store as {@code user_candidates:v1} and to
 *       {@code <lake>/candidates/dt=<to>/} as Parquet;</li>
 *   <li>retrieval: the two-tower model ({@code --two-tower-epochs}, 0 for none) evaluated on the same split,
 *       trained on all the data, its item vectors and user tower registered as {@code recs-two-tower} and
 *       promoted: what the service's nearest-neighbour retrieval serves from the latest interactions;</li>
 *   <li>ranker: the blend weights of the sources learnt on the split ({@link RankerTraining}), registered as
 *       {@code recs-ranker}, promoted when they beat the hand-set weights on held-out users.</li>
 * </ol>
 * Progress and each stage's time go to stderr; with {@code --json} one result object goes to stdout.
 */
public final class RecsNightlyJob {

    private static final Set<String> VALUED = Set.of("algorithm", "data", "lake", "to", "days", "k", "seed",
            "model-name", "two-tower-epochs", "retrieval-model-name", "ranker-model-name", "out");
    private static final Set<String> FLAGS = Set.of("generate", "json");

    /**
     * @param ratings  MovieLens-format ratings to read instead of the lake ({@code --data}), or null
     * @param generate write data of MovieLens 100K's size with the project's generator into {@code out} and read it
     * @param from     the first day of the lake read, {@code to} the last (both UTC, both included); {@code to} also
     *                 names the candidates' partition
     * @param twoTowerEpochs the retrieval model's training epochs; 0 trains none
     */
    record Config(String algorithm, Path ratings, boolean generate, Path lake, LocalDate from, LocalDate to, int k,
                  long seed, String modelName, int twoTowerEpochs, String retrievalModelName, String rankerModelName,
                  Path out,
                  PlatformServers servers, boolean json) {

        static Config parse(List<String> args, Map<String, String> env, Path home, LocalDate today) {
            CommandOptions options = CommandOptions.parse(args, VALUED, FLAGS);
            String algorithm = options.string("algorithm", "ease");
            if (!algorithm.equals("ease") && !algorithm.equals("als")) {
                throw new IllegalArgumentException("--algorithm: ease or als, got '" + algorithm + "'");
            }
            Path ratings = options.has("data") ? Path.of(options.required("data")) : null;
            if (ratings != null && !Files.isRegularFile(ratings)) {
                throw new IllegalArgumentException("--data: no such file: " + ratings);
            }
            boolean generate = options.flag("generate");
            if (generate && ratings != null) {
                throw new IllegalArgumentException("--data and --generate: one source at a time");
            }
            LocalDate to = options.has("to") ? day("to", options.required("to")) : today;
            long days = options.positiveLong("days", 30);
            Path lake = options.has("lake") ? Path.of(options.required("lake")) : LakeInteractions.lakeDir(env, home);
            Path out = options.has("out") ? Path.of(options.required("out")) : home.resolve(".platform")
                    .resolve("recs-nightly").resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                            .withZone(ZoneOffset.UTC).format(Instant.now()));
            long seed = options.positiveLong("seed", 42);
            long epochs = options.nonNegativeLong("two-tower-epochs", TwoTower.Config.defaults(seed).epochs());
            return new Config(algorithm, ratings, generate, lake, to.minusDays(days - 1), to,
                    Math.toIntExact(options.positiveLong("k", 10)), seed,
                    options.string("model-name", "recs-" + algorithm), Math.toIntExact(epochs),
                    options.string("retrieval-model-name", "recs-two-tower"),
                    options.string("ranker-model-name", "recs-ranker"), out,
                    PlatformServers.fromEnvironment(env, home), options.flag("json"));
        }

        private static LocalDate day(String option, String value) {
            try {
                return LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--" + option + ": a day as YYYY-MM-DD, got '" + value + "'");
            }
        }
    }

    /**
     * What a run did.
     *
     * @param model           the registered version, {@code name:version}, now in production
     * @param metrics         on the held-out part, by the registry's metric names
     * @param retrieval       the two-tower retrieval model, or null when none was trained
     * @param ranker          the learnt blend weights
     * @param erased          what the erasure of users from the lake removed
     * @param candidateUsers  users with a candidate row (each of up to {@value RecsysFeatures#CANDIDATES} items)
     * @param onlineRows      rows the online store applied
     * @param timingsSeconds  per stage, in order, and the total
     */
    record Result(String algorithm, String source, int users, int items, long interactions, Map<String, String> params,
                  Map<String, Double> metrics, String model, Registered retrieval, Registered ranker,
                  LakeErasure.Result erased, long candidateUsers, long onlineRows, Path candidatesParquet,
                  Map<String, Double> timingsSeconds) {

        Map<String, Object> asJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("algorithm", algorithm);
            json.put("source", source);
            json.put("users", users);
            json.put("items", items);
            json.put("interactions", interactions);
            json.put("params", params);
            json.put("metrics", metrics);
            json.put("model", model);
            if (retrieval != null) {
                json.put("retrieval", retrieval.asJson());
            }
            json.put("ranker", ranker.asJson());
            json.put("lake_erasure", Map.of("rows_removed", erased.rowsRemoved(), "files_rewritten",
                    erased.filesRewritten(), "files_deleted", erased.filesDeleted()));
            json.put("candidate_users", candidateUsers);
            json.put("candidates_per_user", RecsysFeatures.CANDIDATES);
            json.put("online_rows", onlineRows);
            json.put("candidates_parquet", candidatesParquet.toAbsolutePath().normalize().toString());
            json.put("timings_seconds", timingsSeconds);
            return json;
        }
    }

    /**
     * A model a later stage registered.
     *
     * @param metrics  its figures on held-out data
     * @param promoted whether it went to production (the ranker goes only when it beats the hand-set weights)
     * @param params   its settings, or for the ranker its weights
     */
    record Registered(String reference, Map<String, Double> metrics, boolean promoted, Map<String, String> params) {

        Map<String, Object> asJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", reference);
            json.put("promoted", promoted);
            json.put("params", params);
            json.put("metrics", metrics);
            return json;
        }
    }

    private final SparkSession spark;
    private final Config config;
    private final PrintStream progress;
    private final Map<String, Double> timings = new LinkedHashMap<>();
    private long stageStarted;
    private ModelRegistry registry;
    private DataSource dataSource;

    RecsNightlyJob(SparkSession spark, Config config, PrintStream progress) {
        this.spark = spark;
        this.config = config;
        this.progress = progress;
    }

    public static void main(String[] args) {
        int status;
        try {
            Config config = Config.parse(List.of(args), System.getenv(), Path.of(System.getProperty("platform.home", ".")),
                    LocalDate.now(ZoneOffset.UTC));
            SparkSession spark = LocalSpark.start("recs-nightly", LocalSpark.master(System.getenv()));
            try {
                Result result = new RecsNightlyJob(spark, config, System.err).run();
                if (config.json()) {
                    System.out.println(EventJson.MAPPER.writeValueAsString(result.asJson()));
                }
                status = 0;
            } finally {
                spark.stop();
            }
        } catch (UsageException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            status = 2;
        } catch (IOException | IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    Result run() throws IOException {
        long started = System.nanoTime();
        stageStarted = started;
        Instant computedAt = Instant.now();
        NightlyAlgorithm algorithm = NightlyAlgorithm.named(config.algorithm(), spark, config.seed());
        int k = config.k();

        LakeErasure.Result erased = eraseRequestedUsers();

        Path ratings = config.generate() ? generate() : config.ratings();
        String source = ratings != null ? "movielens:" + ratings.toAbsolutePath().normalize()
                : "lake:" + config.lake().resolve("interactions").toAbsolutePath().normalize() + " dt=" + config.from()
                        + ".." + config.to();
        progress.println("reading " + source + " ...");
        LakeInteractions.Loaded loaded = ratings != null ? LakeInteractions.fromMovieLens(spark, ratings)
                : LakeInteractions.fromLake(spark, config.lake(), config.from(), config.to());
        Interactions all = loaded.interactions();
        Dataset<Row> indexed = loaded.indexed();
        if (all.size() == 0) {
            throw new IllegalArgumentException("no interactions with an item in " + source);
        }
        stageDone("read", String.format("%,d users, %,d items, %,d user-item pairs", all.users(), all.items(),
                all.size()));

        progress.printf("tuning and evaluating %s on each user's 75 / 25 split (seed %d) ...%n", algorithm.name(),
                config.seed());
        UserSplit split = UserSplit.of(all, 0.75, config.seed());
        Map<String, String> params = new LinkedHashMap<>(algorithm.tune(
                InnerSplitTuning.innerSplit(split.train(), config.seed()), indexed, k, progress));
        params.put("seed", Long.toString(config.seed()));
        Recommender evaluated = algorithm.fit(split.train(), LakeInteractions.restrictedTo(indexed, split.train()));
        Map<String, boolean[]> genres = loaded.itemGenres();
        Map<String, Double> metrics = metrics(RankingMetrics.of(evaluated, split, k, genres), k);
        stageDone("evaluate", metrics.toString());

        progress.printf("training %s on all %,d user-item pairs ...%n", algorithm.name(), all.size());
        Recommender model = algorithm.fit(all, indexed);
        stageDone("train", params.toString());

        progress.println("registering " + config.modelName() + " ...");
        ByteArrayOutputStream artifact = new ByteArrayOutputStream();
        algorithm.writeArtifact(model, artifact);
        ModelVersion version = register(config.modelName(), algorithm.format(), artifact.toByteArray(), metrics,
                params, source);
        promote(version, metrics);
        stageDone("register", String.format("%s (%s, %,d bytes) in production", version.reference(), version.format(),
                version.artifactSize()));

        progress.printf("precomputing up to %d candidates per user ...%n", RecsysFeatures.CANDIDATES);
        Dataset<Row> candidates = Candidates.of(indexed, algorithm.scorer(model,
                        JavaSparkContext.fromSparkContext(spark.sparkContext())), all.itemIds(), RecsysFeatures.CANDIDATES,
                version.reference(), computedAt)
                .persist(StorageLevel.MEMORY_AND_DISK());
        Path parquet = config.lake().resolve("candidates").resolve("dt=" + config.to());
        candidates.write().mode(SaveMode.Overwrite).parquet(parquet.toString());
        long onlineRows = Candidates.writeOnline(candidates, config.servers().redisUri());
        long candidateUsers = candidates.count();
        stageDone("candidates", String.format("%,d users: %,d rows to %s online, Parquet %s", candidateUsers,
                onlineRows, RecsysFeatures.USER_CANDIDATES.id(), parquet));

        candidates.unpersist();
        indexed.unpersist();

        TwoTowerModel evaluatedTower = null;
        Registered retrieval = null;
        if (config.twoTowerEpochs() > 0) {
            TwoTower.Config towerConfig = twoTowerConfig();
            progress.printf("two-tower retrieval model (%d epochs) on each user's 75 %% ...%n", towerConfig.epochs());
            TwoTower towerOnSplit = new TwoTower(towerConfig, genres, progress);
            towerOnSplit.fit(split.train());
            evaluatedTower = towerOnSplit.model();
            Map<String, Double> towerMetrics = metrics(RankingMetrics.of(towerOnSplit, split, k, genres), k);
            stageDone("retrieval-evaluate", towerMetrics.toString());

            progress.printf("two-tower retrieval model on all %,d user-item pairs ...%n", all.size());
            TwoTower tower = new TwoTower(towerConfig, genres, progress);
            tower.fit(all);
            ByteArrayOutputStream towerArtifact = new ByteArrayOutputStream();
            tower.model().write(towerArtifact);
            Map<String, String> towerParams = towerParams(towerConfig, !genres.isEmpty());
            ModelVersion towerVersion = register(config.retrievalModelName(), ModelFormat.TWO_TOWER,
                    towerArtifact.toByteArray(), towerMetrics, towerParams, source);
            promote(towerVersion, towerMetrics);
            retrieval = new Registered(towerVersion.reference(), towerMetrics, true, towerParams);
            stageDone("retrieval", String.format("%s (%,d item vectors of %d, user tower) in production",
                    towerVersion.reference(), tower.itemVectors().size(), towerConfig.dimension()));
        }

        progress.println("learning the blend weights of the sources ...");
        Registered ranker = trainRanker(split, evaluated, evaluatedTower, source);

        timings.put("total", (System.nanoTime() - started) / 1e9);
        progress.printf("done in %.1f s: %s%n", timings.get("total"), timings);
        return new Result(algorithm.name(), source, all.users(), all.items(), all.size(), params, metrics,
                version.reference(), retrieval, ranker, erased, candidateUsers, onlineRows, parquet, new LinkedHashMap<>(timings));
    }

    /**
     * The ranker on the evaluation split, from the models fitted on its training part; registered, and promoted
     * when its lists beat the hand-set weights' on the users it was not fitted on.
     */
    private Registered trainRanker(UserSplit split, Recommender evaluated, TwoTowerModel evaluatedTower,
                                   String source) throws IOException {
        int k = config.k();
        ItemNeighbours neighbours = evaluated instanceof Ease ease ? ease.neighbours(NightlyAlgorithm.NEIGHBOURS) : null;
        RankerTraining.Result learnt = new RankerTraining(split, evaluated, neighbours, evaluatedTower, config.seed())
                .train(spark, k, progress);
        Map<String, String> weights = new LinkedHashMap<>();
        learnt.weights().asMap().forEach((which, weight) -> {
            if (which != Source.EXPLORATION) {
                weights.put(which.label(), String.format("%.4f", weight));
            }
        });
        Map<String, String> params = new LinkedHashMap<>(weights);
        params.put("fit_users", Integer.toString(learnt.fitUsers()));
        params.put("evaluation_users", Integer.toString(learnt.evaluationUsers()));
        params.put("candidates", Long.toString(learnt.rows()));
        ByteArrayOutputStream artifact = new ByteArrayOutputStream();
        learnt.weights().write(artifact);
        ModelVersion version = register(config.rankerModelName(), ModelFormat.BLEND_WEIGHTS, artifact.toByteArray(),
                learnt.metrics(), params, source);
        boolean promoted = learnt.beatsHandSet(k);
        if (promoted) {
            promote(version, learnt.metrics());
        }
        stageDone("ranker", String.format("%s %s: weights %s; nDCG@%d %.4f learnt vs %.4f hand-set on %,d users",
                version.reference(), promoted ? "in production" : "registered, not promoted (no better than the "
                        + "hand-set weights)", weights, k, learnt.metrics().get("ndcg_at_" + k),
                learnt.metrics().get("ndcg_at_" + k + "_hand_set"), learnt.evaluationUsers()));
        return new Registered(version.reference(), learnt.metrics(), promoted, weights);
    }

    /**
     * Rewrites the lake's files that hold users whose erasure was requested (the feature store's {@link ErasureLog};
     * online and offline features went at the request), before anything reads the lake.
     */
    private LakeErasure.Result eraseRequestedUsers() {
        ErasureLog log = new ErasureLog(dataSource());
        List<String> pending = log.pendingInLake(RecsysFeatures.USER.name());
        if (pending.isEmpty()) {
            return new LakeErasure.Result(0, 0, 0);
        }
        Instant started = Instant.now();
        progress.printf("erasing %,d users from the lake ...%n", pending.size());
        LakeErasure.Result erased = LakeErasure.erase(spark, config.lake(), pending);
        log.lakeErased(RecsysFeatures.USER.name(), pending, started);
        stageDone("erase", String.format("%,d users: %,d rows removed, %,d files rewritten, %,d deleted",
                pending.size(), erased.rowsRemoved(), erased.filesRewritten(), erased.filesDeleted()));
        return erased;
    }

    /** The model's defaults (chosen on ML-100k's training part), with the epochs asked for. */
    private TwoTower.Config twoTowerConfig() {
        TwoTower.Config defaults = TwoTower.Config.defaults(config.seed());
        return new TwoTower.Config(defaults.dimension(), defaults.hidden(), config.twoTowerEpochs(),
                defaults.batchSize(), defaults.learningRate(), defaults.maxHistory(), defaults.seed());
    }

    private static Map<String, String> towerParams(TwoTower.Config tower, boolean genres) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("dimension", Integer.toString(tower.dimension()));
        params.put("hidden", Integer.toString(tower.hidden()));
        params.put("epochs", Integer.toString(tower.epochs()));
        params.put("batch_size", Integer.toString(tower.batchSize()));
        params.put("learning_rate", Float.toString(tower.learningRate()));
        params.put("max_history", Integer.toString(tower.maxHistory()));
        params.put("item_genres", Boolean.toString(genres));
        params.put("seed", Long.toString(tower.seed()));
        return params;
    }

    private Path generate() throws IOException {
        Path dir = config.out().resolve("generated");
        new InteractionSimulator(InteractionSimulator.Config.movieLens100kSized(config.seed())).writeMovieLensFiles(dir);
        stageDone("generate", "MovieLens 100K-sized data (seed " + config.seed() + ") in " + dir);
        return dir.resolve("u.data");
    }

    private ModelVersion register(String name, ModelFormat format, byte[] artifact, Map<String, Double> metrics,
                                  Map<String, String> params, String source) {
        return registry().register(new ModelRegistration(name, format, metrics,
                new Lineage(source, null, List.of(), CodeVersion.current("batch-jobs"), params)), artifact);
    }

    private void promote(ModelVersion version, Map<String, Double> metrics) {
        registry().promote(version.name(), version.version(), String.format(
                "nightly %s: nDCG@%d %.4f on the held-out split", config.to(), config.k(),
                metrics.get("ndcg_at_" + config.k())));
    }

    private ModelRegistry registry() {
        if (registry == null) {
            registry = new ModelRegistry(dataSource(), new ArtifactStore(config.servers().artifactDir()));
        }
        return registry;
    }

    /**
     * The platform's database, the registry's and the feature store's schemas migrated on first use (with the view
     * the candidates go to registered, for lineage and erasure).
     */
    private DataSource dataSource() {
        if (dataSource == null) {
            DataSource migrated = config.servers().dataSource();
            ModelRegistry.migrate(migrated);
            FeatureStore.migrate(migrated);
            new FeatureRegistry(migrated).register(RecsysFeatures.USER_CANDIDATES);
            dataSource = migrated;
        }
        return dataSource;
    }

    /** The figures under the names {@code recs evaluate} reports them by; diversity only when there are genres. */
    private static Map<String, Double> metrics(RankingMetrics metrics, int k) {
        Map<String, Double> named = new LinkedHashMap<>();
        named.put("ndcg_at_" + k, metrics.ndcg());
        named.put("precision_at_" + k, metrics.precision());
        named.put("recall_at_" + k, metrics.recall());
        named.put("map", metrics.map());
        named.put("coverage", metrics.coverage());
        if (!Double.isNaN(metrics.diversity())) {
            named.put("diversity", metrics.diversity());
        }
        return named;
    }

    /** Records the time since the previous stage ended (or the run began) and prints what the stage did. */
    private void stageDone(String stage, String what) {
        long now = System.nanoTime();
        double seconds = (now - stageStarted) / 1e9;
        stageStarted = now;
        timings.put(stage, seconds);
        progress.printf("  %s: %s (%.1f s)%n", stage, what, seconds);
    }
}
