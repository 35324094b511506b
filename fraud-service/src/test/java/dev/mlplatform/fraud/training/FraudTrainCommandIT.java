package dev.mlplatform.fraud.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlplatform.core.inference.OnnxPredictor;
import dev.mlplatform.core.inference.OnnxPredictorOptions;
import dev.mlplatform.core.registry.ArtifactStore;
import dev.mlplatform.core.registry.FeatureViewRef;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelStage;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.featurestore.definitions.TransactionHistoryFeatures;
import dev.mlplatform.testsupport.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The whole command: on the handbook's published data when present, and into the real registry. */
class FraudTrainCommandIT {

    private static final Path HANDBOOK_DATA =
            Path.of("../../shared/datasets/fraud-sim/transactions-2018-04-01_2018-07-31.csv.gz");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void trainsAndEvaluatesOnTheHandbooksDataByItsProtocol() {
        assumeTrue(Files.isRegularFile(HANDBOOK_DATA), "the handbook's data is not at " + HANDBOOK_DATA.toAbsolutePath()
                + " (../shared/datasets beside the project): skipped");

        Run run = run(Map.of(), "--data", HANDBOOK_DATA.toString(), "--train-start", "2018-07-01", "--train-days", "3",
                "--delay-days", "7", "--test-days", "2", "--no-register", "--json", "--out", dir.toString());

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode result = JSON.readTree(run.out());
        for (String field : List.of("auc_roc", "average_precision", "card_precision_at_100", "threshold", "precision",
                "recall", "recall_at_precision_99", "precision_at_recall_95", "train_rows", "train_frauds",
                "test_rows", "test_frauds")) {
            assertThat(result.path(field).isNumber()).as(field).isTrue();
        }
        for (String field : List.of("auc_roc", "average_precision", "card_precision_at_100")) {
            assertThat(result.path("baseline").path(field).isNumber()).as("baseline " + field).isTrue();
        }
        assertThat(result.path("auc_roc").asDouble()).isGreaterThan(0.8);
        assertThat(result.path("average_precision").asDouble()).isGreaterThan(0.3);
        assertThat(result.path("split").path("test").path("from").asString()).isEqualTo("2018-07-11");
        assertThat(result.path("split").path("test").path("to").asString()).isEqualTo("2018-07-12");
        assertThat(result.path("model").isNull()).isTrue();
        assertThat(Path.of(result.path("charts").path("pr").asString())).isRegularFile();
        assertThat(Path.of(result.path("charts").path("roc").asString())).isRegularFile();
        assertThat(result.path("onnx_max_abs_difference").asDouble()).isLessThanOrEqualTo(1e-5);
        // Progress on stderr, one JSON object on stdout.
        assertThat(run.err()).contains("read 1,169,723 transactions").contains("round");
        assertThat(run.out().strip().lines()).hasSize(1);
    }

    @Test
    void registersTheModelAsACandidateWithItsMetricsAndLineage() {
        Path data = SyntheticTransactions.write(dir.resolve("synthetic.csv"), 12);
        Path artifacts = dir.resolve("artifacts");
        Map<String, String> env = Map.of("DB_HOST", TestDatabase.host(), "DB_PORT", String.valueOf(TestDatabase.port()),
                "DB_USER", TestDatabase.user(), "DB_PASSWORD", TestDatabase.password(), "DB_NAME", TestDatabase.NAME,
                "MODEL_ARTIFACT_DIR", artifacts.toString());

        Run run = run(env, "--data", data.toString(), "--train-start", "2018-04-04", "--train-days", "4",
                "--delay-days", "2", "--test-days", "3", "--model-name", "fraud-sim-gbdt-it", "--json",
                "--out", dir.resolve("out").toString());

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode result = JSON.readTree(run.out());
        JsonNode model = result.path("model");
        assertThat(model.path("name").asString()).isEqualTo("fraud-sim-gbdt-it");
        assertThat(model.path("stage").asString()).isEqualTo("REGISTERED");
        ModelRegistry registry = new ModelRegistry(TestDatabase.migrated(ModelRegistry.SCHEMA),
                new ArtifactStore(artifacts));
        ModelVersion registered = registry.version("fraud-sim-gbdt-it", model.path("version").asInt()).orElseThrow();
        assertThat(registered.stage()).isEqualTo(ModelStage.REGISTERED);
        assertThat(registered.metrics().get("auc_roc")).isEqualTo(result.path("auc_roc").asDouble());
        assertThat(registered.metrics()).containsKeys("average_precision", "card_precision_at_100",
                "baseline_average_precision", "test_rows");
        assertThat(registered.lineage().trainingDataId()).isEqualTo(data.toAbsolutePath().toString());
        assertThat(registered.lineage().trainingDataSha256()).isEqualTo(result.path("data").path("sha256").asString());
        assertThat(registered.lineage().featureViews()).containsExactly(new FeatureViewRef("transaction_history", 1));
        assertThat(registered.lineage().params()).containsEntry("split.train", "2018-04-04/2018-04-08")
                .containsEntry("split.test", "2018-04-10/2018-04-13").containsEntry("label_delay_days", "2")
                .containsEntry("feature_names", String.join(",", TransactionHistoryFeatures.NAMES));
        assertThat(registered.lineage().codeVersion()).startsWith("fraud-service@");
        try (OnnxPredictor predictor = OnnxPredictor.load(registry.artifact(registered), OnnxPredictorOptions.defaults())) {
            assertThat(predictor.featureCount()).isEqualTo(TransactionHistoryFeatures.SIZE);
        }
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = FraudTrainCommand.run(List.of(args), Path.of("."), env,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int status, String out, String err) {
    }
}
