package dev.mlplatform.fraud.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.inference.OnnxPredictor;
import dev.mlplatform.core.monitoring.DriftReference;
import dev.mlplatform.core.inference.OnnxPredictorOptions;
import dev.mlplatform.core.registry.FeatureViewRef;
import dev.mlplatform.core.training.gbdt.EvalMetric;
import dev.mlplatform.core.training.gbdt.GbdtParams;
import dev.mlplatform.fraud.decision.DecisionPolicy;
import dev.mlplatform.simulators.fraud.SimulationConfig;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Trains a small model on simulated transactions once and checks what the registry will keep. */
class FraudModelTrainerTest {

    private static final SimulationConfig SIMULATION = SimulationConfig.of(300, 600, LocalDate.of(2026, 4, 1), 7);
    private static FraudModelTrainer.TrainedModel trained;

    @BeforeAll
    static void train() {
        FraudModelTrainer.Plan plan = new FraudModelTrainer.Plan(SIMULATION, 10, 2, 3,
                GbdtParams.defaults().withMaxRounds(40).withMaxDepth(4).withEarlyStopping(10, EvalMetric.LOGLOSS)
                        .withThreads(2),
                new DecisionPolicy(0.5, 0.85), "test");
        trained = new FraudModelTrainer().train(plan);
    }

    @AfterAll
    static void close() {
        trained.close();
    }

    @Test
    void theOnnxExportScoresTheFraudFeaturesAsTheTrainerDoes() {
        float[][] rows = trained.test().features();
        float[] expected = trained.booster().predict(rows);

        try (OnnxPredictor onnx = OnnxPredictor.load(trained.onnx(), OnnxPredictorOptions.defaults())) {
            float[] actual = onnx.predict(rows);

            assertThat(onnx.featureCount()).isEqualTo(FraudFeatureVector.SIZE);
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < rows.length; i++) {
                assertThat(Math.abs(actual[i] - expected[i])).as("row %d", i).isLessThanOrEqualTo(1e-5f);
            }
        }
        assertThat(rows.length).isGreaterThan(1000);
    }

    @Test
    void isEvaluatedOnHeldOutDaysAndBeatsChance() {
        assertThat(trained.metrics()).containsKeys("auc_roc", "average_precision", "card_precision_at_100",
                "precision_at_review", "recall_at_review", "test_rows", "test_frauds");
        assertThat(trained.metrics().get("auc_roc")).isGreaterThan(0.7);
        double fraudRate = trained.metrics().get("test_frauds") / trained.metrics().get("test_rows");
        assertThat(trained.metrics().get("average_precision")).isGreaterThan(fraudRate);
    }

    @Test
    void recordsItsLineage() {
        var lineage = trained.lineage();

        assertThat(lineage.trainingDataId()).contains("customers=300").contains("seed=7").contains("days=10");
        assertThat(lineage.trainingDataSha256()).hasSize(64);
        assertThat(lineage.featureViews()).containsExactly(new FeatureViewRef("card_velocity", 1));
        assertThat(lineage.params()).containsEntry(ModelParams.FEATURE_NAMES, String.join(",", FraudFeatureVector.NAMES))
                .containsKey("max_depth").containsKey("split.test");
    }

    @Test
    void keepsTheLegitimate99thPercentilesToNameUnusualFeatures() {
        assertThat(trained.signals().thresholds()).containsKeys("amount", "tx_amount_1h");
        assertThat(trained.lineage().params()).containsKey("signal.amount");
    }

    @Test
    void storesTheHeldOutDistributionsOfTheScoreAndTheWatchedFeatures() {
        DriftReference reference = DriftReference.fromLineageParams(trained.lineage().params()).orElseThrow();

        assertThat(reference.features().keySet()).startsWith(ServingDrift.RISK_SCORE)
                .containsAll(ServingDrift.FEATURES).hasSize(1 + ServingDrift.FEATURES.size());
        assertThat(reference.features().get(ServingDrift.RISK_SCORE).sampleSize()).isEqualTo(trained.test().size());
        assertThat(reference.features().get("amount").bins()).isEqualTo(DriftReference.DEFAULT_BINS);
    }

    @Test
    void theSameSimulationGivesTheSameTrainingData() {
        assertThat(FraudTrainingSet.simulate(SIMULATION, 10).sha256()).isEqualTo(trained.lineage().trainingDataSha256());
    }
}
