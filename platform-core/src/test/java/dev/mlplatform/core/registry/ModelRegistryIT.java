package dev.mlplatform.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.core.db.Databases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** Against the real Postgres; every test uses its own model name, so runs and teammates never collide. */
class ModelRegistryIT {

    private static PGSimpleDataSource dataSource;

    @TempDir
    Path artifactRoot;

    private ModelRegistry registry;
    private final List<ModelLifecycleEvent> events = new ArrayList<>();
    private String name;

    @BeforeAll
    static void migrate() {
        Databases.createIfMissing("127.0.0.1", 5432, "postgres", "", "mlplatform_test");
        dataSource = new PGSimpleDataSource();
        dataSource.setURL("jdbc:postgresql://127.0.0.1:5432/mlplatform_test");
        dataSource.setUser("postgres");
        ModelRegistry.migrate(dataSource);
    }

    @BeforeEach
    void newRegistry() {
        registry = new ModelRegistry(dataSource, new ArtifactStore(artifactRoot));
        registry.subscribe(events::add);
        name = "test-model-" + UUID.randomUUID();
    }

    @Test
    void registersNumberedVersionsWithMetricsLineageAndArtifact() {
        byte[] artifact = "onnx bytes v1".getBytes(StandardCharsets.UTF_8);
        ModelVersion first = registry.register(registration(Map.of("auc_roc", 0.91, "average_precision", 0.62)),
                artifact);
        ModelVersion second = registry.register(registration(Map.of("auc_roc", 0.93)),
                "onnx bytes v2".getBytes(StandardCharsets.UTF_8));

        assertThat(first.version()).isEqualTo(1);
        assertThat(second.version()).isEqualTo(2);
        assertThat(first.stage()).isEqualTo(ModelStage.REGISTERED);
        assertThat(first.reference()).isEqualTo(name + ":1");
        ModelVersion reread = registry.version(name, 1).orElseThrow();
        assertThat(reread).isEqualTo(first);
        assertThat(reread.lineage().featureViews()).containsExactly(new FeatureViewRef("card_velocity", 3));
        assertThat(reread.lineage().params()).containsEntry("max_depth", "6");
        assertThat(reread.metrics()).containsEntry("average_precision", 0.62);
        assertThat(registry.artifact(reread)).isEqualTo(artifact);
        assertThat(registry.artifactPath(reread)).hasBinaryContent(artifact);
        assertThat(registry.versions(name)).extracting(ModelVersion::version).containsExactly(1, 2);
        assertThat(registry.modelNames()).contains(name);
        assertThat(registry.production(name)).isEmpty();
        assertThat(events).containsExactly(
                new ModelRegistered(name, 1, ModelFormat.ONNX, first.artifactSha256(), first.registeredAt()),
                new ModelRegistered(name, 2, ModelFormat.ONNX, second.artifactSha256(), second.registeredAt()));
    }

    @Test
    void registersAnArtifactFromAFile() throws Exception {
        Path file = artifactRoot.resolve("model.pt");
        Files.write(file, new byte[] {1, 2, 3, 4});
        ModelVersion version = registry.register(new ModelRegistration(name, ModelFormat.TORCHSCRIPT, Map.of(),
                new Lineage("corpus-1", null, List.of(), null, Map.of())), file);
        assertThat(version.artifactSize()).isEqualTo(4);
        assertThat(registry.artifact(version)).containsExactly(1, 2, 3, 4);
        assertThat(registry.version(name, 1).orElseThrow().lineage().codeVersion()).isNull();
    }

    @Test
    void concurrentRegistrationsOfOneNameGetDistinctVersions() throws Exception {
        int threads = 6;
        int perThread = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Integer>>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<Integer> versions = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        byte[] artifact = ("model " + thread + "/" + i).getBytes(StandardCharsets.UTF_8);
                        versions.add(registry.register(registration(Map.of()), artifact).version());
                    }
                    return versions;
                }));
            }
            start.countDown();
            List<Integer> all = new ArrayList<>();
            for (Future<List<Integer>> result : results) {
                all.addAll(result.get());
            }
            assertThat(all).doesNotHaveDuplicates().hasSize(threads * perThread);
            assertThat(all).allMatch(v -> v >= 1 && v <= threads * perThread);
        } finally {
            pool.shutdownNow();
        }
        assertThat(registry.versions(name)).hasSize(threads * perThread);
    }

    @Test
    void promotionArchivesThePreviousProductionVersion() {
        registerVersions(2);
        ModelPromoted first = registry.promote(name, 1, "beats the rules-only baseline");
        assertThat(first.replacedVersion()).isEmpty();
        assertThat(registry.production(name).orElseThrow().version()).isEqualTo(1);

        ModelPromoted second = registry.promote(name, 2, "higher average precision");
        assertThat(second.replacedVersion()).isEqualTo(OptionalInt.of(1));
        assertThat(registry.production(name).orElseThrow().version()).isEqualTo(2);
        assertThat(registry.version(name, 1).orElseThrow().stage()).isEqualTo(ModelStage.ARCHIVED);
        assertThat(registry.inStage(name, ModelStage.PRODUCTION)).hasSize(1);
        assertThat(events).contains(first, second);

        assertThat(registry.history(name)).extracting(c -> c.version() + ":" + c.fromStage() + "->" + c.toStage())
                .containsExactly("1:null->REGISTERED", "2:null->REGISTERED", "1:REGISTERED->PRODUCTION",
                        "1:PRODUCTION->ARCHIVED", "2:REGISTERED->PRODUCTION");
        assertThat(registry.history(name).get(4).reason()).isEqualTo("higher average precision");
        assertThatThrownBy(() -> registry.promote(name, 2, "again")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already in production");
    }

    @Test
    void rollbackRestoresThePreviousProductionVersionStepByStep() {
        registerVersions(3);
        registry.promote(name, 1, "first");
        registry.promote(name, 2, "second");
        registry.promote(name, 3, "third");

        ModelRolledBack back = registry.rollback(name, "error rate up");
        assertThat(back.fromVersion()).isEqualTo(3);
        assertThat(back.toVersion()).isEqualTo(2);
        assertThat(registry.production(name).orElseThrow().version()).isEqualTo(2);
        assertThat(registry.version(name, 3).orElseThrow().stage()).isEqualTo(ModelStage.ARCHIVED);

        ModelRolledBack further = registry.rollback(name, "still bad");
        assertThat(further.toVersion()).isEqualTo(1);
        assertThat(registry.production(name).orElseThrow().version()).isEqualTo(1);
        assertThatThrownBy(() -> registry.rollback(name, "once more")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("replaced no earlier production version");
        assertThat(registry.production(name).orElseThrow().version()).isEqualTo(1);
        assertThat(events).contains(back, further);
        assertThat(registry.history(name)).last().satisfies(change -> {
            assertThat(change.version()).isEqualTo(1);
            assertThat(change.toStage()).isEqualTo(ModelStage.PRODUCTION);
            assertThat(change.reason()).contains("rollback from version 2").contains("still bad");
        });
    }

    @Test
    void concurrentPromotionsLeaveExactlyOneProductionVersion() throws Exception {
        int versions = 8;
        registerVersions(versions);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try {
            List<Future<?>> promotions = new ArrayList<>();
            for (int v = 1; v <= versions; v++) {
                int version = v;
                promotions.add(pool.submit(() -> {
                    try {
                        start.await();
                        registry.promote(name, version, "race");
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> promotion : promotions) {
                promotion.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures).isEmpty();
        assertThat(registry.inStage(name, ModelStage.PRODUCTION)).hasSize(1);
        assertThat(registry.inStage(name, ModelStage.ARCHIVED)).hasSize(versions - 1);
        // Serialised: each promotion replaced the one before it, so rollbacks walk the whole chain back.
        for (int step = 1; step < versions; step++) {
            registry.rollback(name, "unwind");
        }
        assertThatThrownBy(() -> registry.rollback(name, "unwind")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void movesVersionsThroughShadowAndCanaryButProductionOnlyByPromotion() {
        registerVersions(2);
        ModelStageChanged shadow = registry.moveToStage(name, 2, ModelStage.SHADOW, "compare on live traffic");
        assertThat(shadow.fromStage()).isEqualTo(ModelStage.REGISTERED);
        registry.moveToStage(name, 2, ModelStage.CANARY, "5 % of traffic");
        assertThat(registry.inStage(name, ModelStage.CANARY)).extracting(ModelVersion::version).containsExactly(2);
        registry.promote(name, 2, "canary healthy");
        assertThat(registry.history(name)).extracting(StageChange::toStage).containsSubsequence(
                ModelStage.SHADOW, ModelStage.CANARY, ModelStage.PRODUCTION);

        assertThatThrownBy(() -> registry.moveToStage(name, 1, ModelStage.PRODUCTION, "sneak"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.moveToStage(name, 2, ModelStage.ARCHIVED, "oops"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("in production");
        assertThatThrownBy(() -> registry.moveToStage(name, 1, ModelStage.REGISTERED, "same"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already");
    }

    @Test
    void theDatabaseItselfRefusesASecondProductionVersion() throws Exception {
        registerVersions(2);
        registry.promote(name, 1, "first");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE registry.model_versions SET stage = 'PRODUCTION' "
                    + "WHERE name = '" + name + "' AND version = 2"))
                    .hasMessageContaining("model_versions_one_production");
        }
    }

    @Test
    void namesWhatIsMissingOrInvalid() {
        assertThatThrownBy(() -> registry.promote(name, 1, "none")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining(name);
        registerVersions(1);
        assertThatThrownBy(() -> registry.promote(name, 7, "none")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("no version 7");
        assertThatThrownBy(() -> registry.rollback(name, "none")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no production version");
        assertThat(registry.version(name, 7)).isEmpty();
        assertThat(registry.versions("no-such-model")).isEmpty();
        assertThatThrownBy(() -> registration(Map.of("auc_roc", Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auc_roc");
        assertThatThrownBy(() -> new ModelRegistration("Bad Name", ModelFormat.ONNX, Map.of(),
                new Lineage("d", null, List.of(), null, Map.of()))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailingListenerDoesNotUndoTheChange() {
        registry.subscribe(event -> {
            throw new IllegalStateException("listener broke");
        });
        ModelVersion version = registry.register(registration(Map.of()), new byte[] {9});
        assertThat(registry.version(name, version.version())).isPresent();
        assertThat(events).hasSize(1);
    }

    private void registerVersions(int count) {
        for (int i = 1; i <= count; i++) {
            registry.register(registration(Map.of("auc_roc", 0.9 + i / 100.0)),
                    (name + " artifact " + i).getBytes(StandardCharsets.UTF_8));
        }
    }

    private ModelRegistration registration(Map<String, Double> metrics) {
        Lineage lineage = new Lineage("simulator-seed-42-2026-11-01", "ab".repeat(32),
                List.of(new FeatureViewRef("card_velocity", 3)), "5c1be07", Map.of("max_depth", "6", "eta", "0.1"));
        return new ModelRegistration(name, ModelFormat.ONNX, metrics, lineage);
    }
}
