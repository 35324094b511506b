package dev.mlplatform.fraud.model;

import dev.mlplatform.core.inference.OnnxPredictor;
import dev.mlplatform.core.inference.OnnxPredictorOptions;
import dev.mlplatform.core.training.gbdt.GbdtDataset;
import dev.mlplatform.core.training.gbdt.GbdtModel;
import dev.mlplatform.core.training.gbdt.GbdtParams;
import dev.mlplatform.core.training.gbdt.GbdtTrainer;
import dev.mlplatform.fraud.scoring.SignalThresholds;
import java.util.Map;
import java.util.SplittableRandom;

/** Small real models for tests: a few trees over the fraud feature vector, exported to ONNX. */
public final class TestModels {

    private TestModels() {
    }

    /** ONNX bytes of a model that scores high when the amount (feature 0) is large. */
    public static byte[] amountModelOnnx() {
        SplittableRandom random = new SplittableRandom(3);
        float[][] rows = new float[400][FraudFeatureVector.SIZE];
        float[] labels = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i][0] = (float) random.nextDouble(0, 1000);
            labels[i] = rows[i][0] > 700 ? 1 : 0;
        }
        try (GbdtModel model = new GbdtTrainer(GbdtParams.defaults().withMaxRounds(5).withEarlyStopping(0,
                GbdtParams.defaults().evalMetric()).withThreads(1)).train(GbdtDataset.of(rows, labels))) {
            return model.toOnnx();
        }
    }

    /** Puts the amount model in service in {@code serving} as {@code version}. */
    public static void serve(ServingModel serving, String version) {
        serving.swap(version, new LoadedModel(OnnxPredictor.load(amountModelOnnx(), OnnxPredictorOptions.defaults()),
                new SignalThresholds(Map.of("amount", 500.0), FraudFeatureVector.NAMES)));
    }
}
