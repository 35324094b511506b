package dev.mlplatform.core.training.gbdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.core.evaluation.BinaryClassificationMetrics;
import dev.mlplatform.core.inference.OnnxPredictor;
import dev.mlplatform.core.inference.OnnxPredictorOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class XgboostOnnxExporterTest {

    private static final double TOLERANCE = 1e-5;

    private static GbdtDataset train;
    private static GbdtDataset validation;
    private static GbdtDataset test;
    private static GbdtModel model;
    private static final List<RoundEvaluation> rounds = new ArrayList<>();

    @BeforeAll
    static void trainOnce() {
        train = SyntheticFraudData.generate(11, 4000);
        validation = SyntheticFraudData.generate(12, 1500);
        test = SyntheticFraudData.generate(13, 2000);
        GbdtParams params = GbdtParams.defaults().withMaxRounds(400).withMaxDepth(5).withLearningRate(0.2)
                .withEarlyStopping(15, EvalMetric.LOGLOSS).withThreads(2).withSeed(7);
        model = new GbdtTrainer(params).train(train, validation, rounds::add);
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @Test
    void onnxProbabilitiesEqualXgboostPredictionsOnEveryRow() {
        float[] expected = model.predict(test.features());
        try (OnnxPredictor onnx = OnnxPredictor.load(model.toOnnx(), OnnxPredictorOptions.defaults())) {
            assertThat(onnx.scoreOutput()).isEqualTo(XgboostOnnxExporter.PROBABILITY_OUTPUT);
            float[] actual = onnx.predict(test.features());
            assertAllWithin(test.features(), expected, actual);
        }
        // Missing values did occur in the rows compared.
        assertThat(countNaN(test.features())).isGreaterThan(300);
    }

    @Test
    void onnxMarginsEqualXgboostMargins() {
        float[] expected = model.predictMargin(test.features());
        try (OnnxPredictor onnx = OnnxPredictor.load(model.toOnnx(),
                OnnxPredictorOptions.defaults().withScoreOutput(XgboostOnnxExporter.MARGIN_OUTPUT))) {
            assertAllWithin(test.features(), expected, onnx.predict(test.features()));
        }
    }

    @Test
    void valuesExactlyOnAThresholdGoRightAsInXgboost() {
        // For every split: a row with the feature at the threshold, one float below, one above, and missing.
        JsonNode trees = modelJson().path("learner").path("gradient_booster").path("model").path("trees");
        Random random = new Random(5);
        List<float[]> rows = new ArrayList<>();
        for (int t = 0; t < trees.size(); t++) {
            JsonNode tree = trees.get(t);
            for (int node = 0; node < tree.path("left_children").size(); node++) {
                if (tree.path("left_children").get(node).asInt() == -1) {
                    continue;
                }
                int feature = tree.path("split_indices").get(node).asInt();
                float threshold = Float.parseFloat(tree.path("split_conditions").get(node).asString());
                float[] base = test.features()[random.nextInt(test.size())];
                for (float value : new float[] {threshold, Math.nextDown(threshold), Math.nextUp(threshold),
                        Float.NaN}) {
                    float[] row = base.clone();
                    row[feature] = value;
                    rows.add(row);
                }
            }
        }
        float[][] boundaryRows = rows.toArray(float[][]::new);
        assertThat(boundaryRows.length).isGreaterThan(400);
        float[] expected = model.predictMargin(boundaryRows);
        try (OnnxPredictor onnx = OnnxPredictor.load(model.toOnnx(),
                OnnxPredictorOptions.defaults().withScoreOutput(XgboostOnnxExporter.MARGIN_OUTPUT))) {
            assertAllWithin(boundaryRows, expected, onnx.predict(boundaryRows));
        }
    }

    @Test
    void trainedTreesSendMissingValuesBothWays() {
        // Otherwise the equality tests above would not prove that default directions are exported.
        JsonNode trees = modelJson().path("learner").path("gradient_booster").path("model").path("trees");
        int left = 0;
        int right = 0;
        for (int t = 0; t < model.rounds(); t++) {
            JsonNode tree = trees.get(t);
            for (int node = 0; node < tree.path("left_children").size(); node++) {
                if (tree.path("left_children").get(node).asInt() != -1) {
                    if (tree.path("default_left").get(node).asInt() != 0) {
                        left++;
                    } else {
                        right++;
                    }
                }
            }
        }
        assertThat(left).isPositive();
        assertThat(right).isPositive();
    }

    @Test
    void earlyStoppingKeepsTheBestRoundsInPredictionAndExport() {
        assertThat(rounds).hasSizeLessThan(400);
        int best = 0;
        for (RoundEvaluation round : rounds) {
            if (round.validation() < rounds.get(best).validation()) {
                best = round.round();
            }
        }
        assertThat(model.rounds()).isEqualTo(best + 1);
        assertThat(rounds).hasSize(best + 1 + 15);
        try (GbdtModel reloaded = GbdtModel.load(model.toXgboostJson())) {
            assertThat(reloaded.rounds()).isEqualTo(model.rounds());
            assertThat(reloaded.predict(test.features())).containsExactly(model.predict(test.features()));
        }
    }

    @Test
    void theModelLearnedTheSignal() {
        BinaryClassificationMetrics metrics = new BinaryClassificationMetrics(model.predict(test.features()),
                test.labels());
        assertThat(metrics.aucRoc()).isGreaterThan(0.8);
        assertThat(metrics.averagePrecision()).isGreaterThan((double) metrics.positives() / test.size());
    }

    @Test
    void exportsAllRoundsOfAModelTrainedWithoutValidation() {
        GbdtParams params = GbdtParams.defaults().withMaxRounds(25).withMaxDepth(3).withThreads(1);
        float[] weights = new float[train.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = train.labels()[i] == 1f ? 3f : 1f;
        }
        try (GbdtModel weighted = new GbdtTrainer(params).train(train.withWeights(weights));
             OnnxPredictor onnx = OnnxPredictor.load(weighted.toOnnx(), OnnxPredictorOptions.defaults())) {
            assertThat(weighted.rounds()).isEqualTo(25);
            assertAllWithin(test.features(), weighted.predict(test.features()), onnx.predict(test.features()));
        }
    }

    @Test
    void refusesModelsItCannotExportFaithfully() {
        String json = new String(model.toXgboostJson(), StandardCharsets.UTF_8);
        byte[] squaredError = json.replace("\"binary:logistic\"", "\"reg:squarederror\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> XgboostOnnxExporter.export(squaredError, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reg:squarederror");
        assertThatThrownBy(() -> XgboostOnnxExporter.export(model.toXgboostJson(), 10_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rounds");
    }

    private static void assertAllWithin(float[][] rows, float[] expected, float[] actual) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            double difference = Math.abs((double) actual[i] - expected[i]);
            if (!(difference <= TOLERANCE)) {
                throw new AssertionError("row " + i + " " + java.util.Arrays.toString(rows[i]) + ": ONNX "
                        + actual[i] + ", XGBoost " + expected[i]);
            }
        }
    }

    private static JsonNode modelJson() {
        return JsonMapper.builder().build().readTree(model.toXgboostJson());
    }

    private static int countNaN(float[][] rows) {
        int count = 0;
        for (float[] row : rows) {
            for (float value : row) {
                if (Float.isNaN(value)) {
                    count++;
                }
            }
        }
        return count;
    }
}
