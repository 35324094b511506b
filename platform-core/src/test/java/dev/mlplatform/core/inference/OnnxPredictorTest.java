package dev.mlplatform.core.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxPredictorTest {

    private static final float[] WEIGHTS = {0.5f, -1.25f, 2f};
    private static final float BIAS = -0.3f;

    @Test
    void scoresABatchWithTheLastOutputByDefault() {
        float[][] rows = randomRows(new Random(1), 64, 3);
        try (OnnxPredictor predictor = OnnxPredictor.load(TestOnnxModels.logisticRegression(WEIGHTS, BIAS),
                OnnxPredictorOptions.defaults())) {
            assertThat(predictor.scoreOutput()).isEqualTo("score");
            assertThat(predictor.inputName()).isEqualTo("x");
            assertThat(predictor.featureCount()).isEqualTo(3);
            float[] scores = predictor.predict(rows);
            assertThat(scores).hasSize(rows.length);
            for (int i = 0; i < rows.length; i++) {
                assertThat((double) scores[i]).isCloseTo(logistic(rows[i]), within(1e-6));
            }
            assertThat((double) predictor.predict(rows[5])).isCloseTo(logistic(rows[5]), within(1e-6));
        }
    }

    @Test
    void readsTheConfiguredOutput() {
        float[] row = {1f, 2f, 3f};
        try (OnnxPredictor predictor = OnnxPredictor.load(TestOnnxModels.logisticRegression(WEIGHTS, BIAS),
                OnnxPredictorOptions.defaults().withScoreOutput("logit"))) {
            double logit = 0.5 - 2.5 + 6 - 0.3;
            assertThat((double) predictor.predict(row)).isCloseTo(logit, within(1e-6));
        }
    }

    @Test
    void loadsFromAPathAsFromBytes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.onnx");
        Files.write(file, TestOnnxModels.logisticRegression(WEIGHTS, BIAS));
        float[][] rows = randomRows(new Random(2), 10, 3);
        try (OnnxPredictor fromPath = OnnxPredictor.load(file, OnnxPredictorOptions.defaults());
             OnnxPredictor fromBytes = OnnxPredictor.load(Files.readAllBytes(file), OnnxPredictorOptions.defaults())) {
            assertThat(fromPath.predict(rows)).containsExactly(fromBytes.predict(rows));
        }
    }

    @Test
    void takesThePositiveColumnOfATwoClassProbabilityTensor() {
        float[][] rows = {{0.9f, 0.1f}, {0.25f, 0.75f}};
        try (OnnxPredictor predictor = OnnxPredictor.load(TestOnnxModels.twoClassProbabilities(),
                OnnxPredictorOptions.defaults())) {
            assertThat(predictor.predict(rows)).containsExactly(0.1f, 0.75f);
        }
        try (OnnxPredictor negative = OnnxPredictor.load(TestOnnxModels.twoClassProbabilities(),
                OnnxPredictorOptions.defaults().withPositiveLabel("0"))) {
            assertThat(negative.predict(rows)).containsExactly(0.9f, 0.25f);
        }
    }

    @Test
    void readsThePositiveLabelFromASequenceOfMaps() {
        float[][] rows = {{0.8f, 0.2f}, {0.3f, 0.7f}, {0.5f, 0.5f}};
        try (OnnxPredictor predictor = OnnxPredictor.load(
                TestOnnxModels.zipMapProbabilities(List.of(0L, 1L), null), OnnxPredictorOptions.defaults())) {
            assertThat(predictor.predict(rows)).containsExactly(0.2f, 0.7f, 0.5f);
        }
        try (OnnxPredictor predictor = OnnxPredictor.load(
                TestOnnxModels.zipMapProbabilities(null, List.of("legit", "fraud")),
                OnnxPredictorOptions.defaults().withPositiveLabel("fraud"))) {
            assertThat(predictor.predict(rows)).containsExactly(0.2f, 0.7f, 0.5f);
        }
    }

    @Test
    void namesAMissingPositiveLabel() {
        try (OnnxPredictor predictor = OnnxPredictor.load(
                TestOnnxModels.zipMapProbabilities(null, List.of("legit", "fraud")), OnnxPredictorOptions.defaults())) {
            assertThatThrownBy(() -> predictor.predict(new float[] {0.5f, 0.5f}))
                    .isInstanceOf(InferenceException.class)
                    .hasMessageContaining("no probability for label '1'");
        }
    }

    @Test
    void keepsMissingValuesAsNaN() {
        try (OnnxPredictor predictor = OnnxPredictor.load(TestOnnxModels.logisticRegression(WEIGHTS, BIAS),
                OnnxPredictorOptions.defaults())) {
            assertThat(predictor.predict(new float[] {Float.NaN, 1f, 1f})).isNaN();
        }
    }

    @Test
    void refusesRowsOfTheWrongWidthAndUnknownOutputs() {
        byte[] model = TestOnnxModels.logisticRegression(WEIGHTS, BIAS);
        try (OnnxPredictor predictor = OnnxPredictor.load(model, OnnxPredictorOptions.defaults())) {
            assertThatThrownBy(() -> predictor.predict(new float[] {1f, 2f}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expects 3 features");
            assertThatThrownBy(() -> predictor.predict(new float[][] {{1f, 2f, 3f}, {1f}}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1");
        }
        assertThatThrownBy(() -> OnnxPredictor.load(model, OnnxPredictorOptions.defaults().withScoreOutput("proba")))
                .isInstanceOf(InferenceException.class).hasMessageContaining("no output 'proba'");
        assertThatThrownBy(() -> OnnxPredictor.load(new byte[] {1, 2, 3}, OnnxPredictorOptions.defaults()))
                .isInstanceOf(InferenceException.class);
    }

    @Test
    void oneSessionScoresConcurrentRequestsCorrectly() throws Exception {
        float[][] rows = randomRows(new Random(3), 200, 3);
        try (OnnxPredictor predictor = OnnxPredictor.load(TestOnnxModels.logisticRegression(WEIGHTS, BIAS),
                OnnxPredictorOptions.defaults())) {
            float[] expected = predictor.predict(rows);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> workers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int offset = t;
                    workers.add(pool.submit(() -> {
                        int checked = 0;
                        for (int round = 0; round < 200; round++) {
                            int row = (round * 7 + offset) % rows.length;
                            assertThat(predictor.predict(rows[row])).isEqualTo(expected[row]);
                            checked++;
                        }
                        return checked;
                    }));
                }
                for (Future<Integer> worker : workers) {
                    assertThat(worker.get()).isEqualTo(200);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static double logistic(float[] row) {
        double z = BIAS;
        for (int i = 0; i < row.length; i++) {
            z += row[i] * WEIGHTS[i];
        }
        return 1 / (1 + Math.exp(-z));
    }

    static float[][] randomRows(Random random, int count, int width) {
        float[][] rows = new float[count][width];
        for (float[] row : rows) {
            for (int j = 0; j < width; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return rows;
    }
}
