package dev.mlplatform.batch;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.mlplatform.core.registry.ArtifactStore;
import dev.mlplatform.core.registry.ModelFormat;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelStage;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.featurestore.ErasureLog;
import dev.mlplatform.featurestore.FeatureStore;
import dev.mlplatform.featurestore.definitions.RankedItems;
import dev.mlplatform.featurestore.definitions.RecsysFeatures;
import dev.mlplatform.featurestore.online.RedisOnlineStore;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.recsys.model.ItemNeighbours;
import dev.mlplatform.recsys.model.ItemVectors;
import dev.mlplatform.recsys.model.TwoTowerModel;
import dev.mlplatform.recsys.ranking.BlendWeights;
import dev.mlplatform.simulators.recsys.InteractionSimulator;
import dev.mlplatform.testsupport.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly job end to end on a small generated lake, against the real servers: PostgreSQL (registry) and Redis
 * (online store), read back through the registry and the feature store.
 */
class RecsNightlyJobIT {

    private static final String REDIS = "redis://127.0.0.1:6379/0";
    private static final LocalDate LAST_DAY = LocalDate.parse("2024-05-03");

    private static SparkSession spark;

    @TempDir
    Path home;
    private final String run = "it" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Set<String>> itemsByUser = new HashMap<>();
    private String modelName;
    private String retrievalModelName;
    private String rankerModelName;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("recs-nightly-it", "local[2]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @AfterEach
    void removeWhatTheRunWrote() throws Exception {
        try (RedisOnlineStore store = RedisOnlineStore.connect(REDIS, Duration.ofSeconds(2))) {
            itemsByUser.keySet().forEach(user -> store.delete(RecsysFeatures.USER_CANDIDATES, user));
        }
        try (Connection connection = TestDatabase.dataSource().getConnection()) {
            for (String sql : List.of("DELETE FROM registry.stage_history WHERE name IN (?, ?, ?)",
                    "DELETE FROM registry.model_versions WHERE name IN (?, ?, ?)",
                    "DELETE FROM registry.models WHERE name IN (?, ?, ?)")) {
                try (PreparedStatement delete = connection.prepareStatement(sql)) {
                    delete.setString(1, modelName);
                    delete.setString(2, retrievalModelName);
                    delete.setString(3, rankerModelName);
                    delete.executeUpdate();
                }
            }
        }
    }

    @Test
    void easeRegistersItsNeighboursAndTheTwoTowerItsVectorsInProductionAndLandsEachUsersCandidatesInRedis()
            throws Exception {
        writeLake();
        // A user who asked to be erased: the job rewrites the lake without them before reading it.
        String erased = itemsByUser.keySet().iterator().next();
        itemsByUser.remove(erased);
        ErasureLog erasures = new ErasureLog(TestDatabase.migrated(FeatureStore.SCHEMA));
        erasures.record(RecsysFeatures.USER.name(), erased, Instant.now());

        RecsNightlyJob.Result result = runNightly("ease", "2");

        ModelVersion production = production(modelName, ModelFormat.ITEM_NEIGHBOURS, result.model());
        ItemNeighbours neighbours = ItemNeighbours.read(new ByteArrayInputStream(registry().artifacts()
                .read(production.artifactSha256())));
        assertThat(neighbours.items()).isEqualTo(result.items());
        assertThat(neighbours.of(firstItem())).as("every other item, fewer than 100 here").hasSize(result.items() - 1);
        assertCandidates(result);
        assertThat(result.erased().rowsRemoved()).isPositive();
        assertThat(spark.read().parquet(home.resolve("lake").resolve("interactions").toString())
                .where(col(LakeInteractions.USER_ID).equalTo(erased)).count()).isZero();
        assertThat(erasures.pendingInLake(RecsysFeatures.USER.name())).doesNotContain(erased);

        ModelVersion retrieval = production(retrievalModelName, ModelFormat.TWO_TOWER, result.retrieval().reference());
        TwoTowerModel tower = TwoTowerModel.read(new ByteArrayInputStream(registry().artifacts()
                .read(retrieval.artifactSha256())));
        assertThat(tower.items().size()).isEqualTo(result.items());
        assertThat(tower.items().dimension()).isEqualTo(Integer.parseInt(retrieval.lineage().params().get("dimension")));
        assertThat(retrieval.lineage().params()).containsEntry("epochs", "2");
        assertThat(tower.userVector(itemsByUser.values().iterator().next())).hasSize(tower.items().dimension());
        assertThat(result.retrieval().metrics().get("ndcg_at_10")).isBetween(0.0, 1.0);
        assertThat(result.timingsSeconds()).containsKeys("retrieval-evaluate", "retrieval", "ranker");

        // The ranker learnt a weight per source from all four, and says how it compares with the hand-set weights.
        ModelVersion ranker = registry().versions(rankerModelName).get(0);
        assertThat(ranker.format()).isEqualTo(ModelFormat.BLEND_WEIGHTS);
        BlendWeights weights = BlendWeights.read(new ByteArrayInputStream(registry().artifacts()
                .read(ranker.artifactSha256())));
        assertThat(weights.content()).as("not learnt: kept").isEqualTo(BlendWeights.DEFAULT.content());
        assertThat(weights.collaborative() + weights.recent() + weights.embedding() + weights.trending())
                .as("scaled to the hand-set total of the learnt sources").isCloseTo(2.7, offset(1e-9));
        assertThat(ranker.metrics()).containsKeys("ndcg_at_10", "ndcg_at_10_hand_set", "ndcg_at_10_only_collaborative",
                "ndcg_at_10_only_recent", "ndcg_at_10_only_embedding", "ndcg_at_10_only_trending");
        assertThat(registry().production(rankerModelName).isPresent()).isEqualTo(result.ranker().promoted())
                .isEqualTo(ranker.metrics().get("ndcg_at_10") >= ranker.metrics().get("ndcg_at_10_hand_set"));
    }

    @Test
    void alsRegistersItsItemVectorsInProductionAndLandsEachUsersUnseenCandidatesInRedis() throws Exception {
        writeLake();

        RecsNightlyJob.Result result = runNightly("als", "0");

        ModelVersion production = production(modelName, ModelFormat.ITEM_VECTORS, result.model());
        ItemVectors vectors = ItemVectors.read(new ByteArrayInputStream(registry().artifacts()
                .read(production.artifactSha256())));
        assertThat(vectors.size()).isEqualTo(result.items());
        assertThat(vectors.dimension()).isEqualTo(Integer.parseInt(production.lineage().params().get("rank")));
        assertCandidates(result);
        assertThat(result.retrieval()).as("no two-tower epochs, no retrieval model").isNull();
        assertThat(registry().production(retrievalModelName)).isEmpty();
    }

    /**
     * The generator's users and items as lake events over three days, the rating's strength as the Flink job gives
     * it; and one day before the range, an item nobody else has, which the job must not read.
     */
    private void writeLake() throws Exception {
        Path generated = home.resolve("generated");
        new InteractionSimulator(new InteractionSimulator.Config(60, 80, 15, 5, 30.0, 7)).writeMovieLensFiles(generated);
        List<Row> events = new ArrayList<>();
        List<String> lines = Files.readAllLines(generated.resolve("u.data"));
        Instant firstDay = LAST_DAY.minusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
        for (int n = 0; n < lines.size(); n++) {
            String[] fields = lines.get(n).split("\t");
            String user = run + "-u" + fields[0];
            String item = "m" + fields[1];
            events.add(LakeFiles.event(run + "-" + n, user, item, "rating", Double.parseDouble(fields[2]) / 2.5,
                    firstDay.plus(Duration.ofHours(n % 72))));
            itemsByUser.computeIfAbsent(user, u -> new HashSet<>()).add(item);
        }
        events.add(LakeFiles.event(run + "-old", run + "-u1", "outside-the-range", "view", 1,
                firstDay.minus(Duration.ofDays(1))));
        LakeFiles.write(spark, home.resolve("lake"), events);
    }

    private RecsNightlyJob.Result runNightly(String algorithm, String twoTowerEpochs) throws Exception {
        modelName = "recs-" + algorithm + "-" + run;
        retrievalModelName = "recs-two-tower-" + run;
        rankerModelName = "recs-ranker-" + run;
        Map<String, String> env = Map.of("DB_URL", TestDatabase.jdbcUrl(), "DB_USER", TestDatabase.user(),
                "DB_PASSWORD", TestDatabase.password(), "MODEL_ARTIFACT_DIR", home.resolve("artifacts").toString(),
                "REDIS_URL", REDIS, "RECSYS_LAKE_DIR", home.resolve("lake").toString());
        RecsNightlyJob.Config config = RecsNightlyJob.Config.parse(List.of("--algorithm", algorithm, "--to",
                LAST_DAY.toString(), "--days", "3", "--model-name", modelName, "--two-tower-epochs", twoTowerEpochs,
                "--retrieval-model-name", retrievalModelName, "--ranker-model-name", rankerModelName), env, home,
                LocalDate.now());
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        RecsNightlyJob.Result result = new RecsNightlyJob(spark, config,
                new PrintStream(progress, true, StandardCharsets.UTF_8)).run();

        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("read:", "evaluate:", "train:", "register:",
                "candidates:", "done in");
        assertThat(result.timingsSeconds()).containsKeys("read", "evaluate", "train", "register", "candidates", "total");
        assertThat(result.users()).isEqualTo(itemsByUser.size());
        assertThat(result.metrics().get("ndcg_at_10")).isBetween(0.0, 1.0).isPositive();
        return result;
    }

    private ModelVersion production(String name, ModelFormat format, String reference) {
        ModelVersion production = registry().production(name).orElseThrow();
        assertThat(production.reference()).isEqualTo(reference);
        assertThat(production.stage()).isEqualTo(ModelStage.PRODUCTION);
        assertThat(production.format()).isEqualTo(format);
        assertThat(production.metrics()).containsKeys("ndcg_at_10", "precision_at_10", "recall_at_10", "map",
                "coverage");
        assertThat(production.lineage().trainingDataId()).contains("dt=2024-05-01..2024-05-03");
        assertThat(production.lineage().codeVersion()).startsWith("batch-jobs@");
        return production;
    }

    /** Every user has a row, read through the feature store, of items they never had, from the registered model. */
    private void assertCandidates(RecsNightlyJob.Result result) throws Exception {
        Map<String, FeatureRow> rows;
        try (RedisOnlineStore store = RedisOnlineStore.connect(REDIS, Duration.ofSeconds(2))) {
            rows = store.readBatch(RecsysFeatures.USER_CANDIDATES, itemsByUser.keySet());
        }
        assertThat(rows).hasSize(itemsByUser.size());
        assertThat(result.onlineRows()).isEqualTo(itemsByUser.size());
        rows.forEach((user, row) -> {
            List<RankedItems.Entry> candidates = RankedItems.parse((String) row.values().get("items")).entries();
            Set<String> had = itemsByUser.get(user);
            assertThat(candidates).as(user).hasSize(result.items() - had.size());
            assertThat(candidates).extracting(RankedItems.Entry::itemId).as(user)
                    .doesNotContainAnyElementsOf(had).doesNotContain("outside-the-range");
            assertThat(candidates).extracting(RankedItems.Entry::value).as(user + ", best first")
                    .isSortedAccordingTo((a, b) -> Double.compare(b, a));
            assertThat(row.values()).containsEntry("model", result.model());
        });
        assertThat(spark.read().parquet(result.candidatesParquet().toString()).count()).isEqualTo(itemsByUser.size());
        assertThat(result.candidatesParquet()).endsWith(Path.of("candidates", "dt=" + LAST_DAY));
    }

    private String firstItem() {
        return itemsByUser.values().iterator().next().iterator().next();
    }

    private ModelRegistry registry() {
        DataSource dataSource = TestDatabase.migrated(ModelRegistry.SCHEMA);
        return new ModelRegistry(dataSource, new ArtifactStore(home.resolve("artifacts")));
    }
}
