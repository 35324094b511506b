package dev.mlplatform.fraud.model;

import dev.mlplatform.core.inference.OnnxPredictor;
import dev.mlplatform.core.inference.OnnxPredictorOptions;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.fraud.scoring.SignalThresholds;

/** One model version in memory: its ONNX session and its signal thresholds. Closed when swapped out. */
record LoadedModel(OnnxPredictor predictor, SignalThresholds signals) implements AutoCloseable {

    /**
     * Loads {@code version}'s artifact from the registry.
     *
     * @throws IllegalStateException when the model's input is not this service's feature vector
     */
    static LoadedModel load(ModelRegistry registry, ModelVersion version, OnnxPredictorOptions options) {
        OnnxPredictor predictor = OnnxPredictor.load(registry.artifact(version), options);
        if (predictor.featureCount() >= 0 && predictor.featureCount() != FraudFeatureVector.SIZE) {
            predictor.close();
            throw new IllegalStateException("model " + version.reference() + " takes " + predictor.featureCount()
                    + " features, this service computes " + FraudFeatureVector.SIZE);
        }
        return new LoadedModel(predictor,
                SignalThresholds.fromParams(version.lineage().params(), FraudFeatureVector.NAMES));
    }

    @Override
    public void close() {
        predictor.close();
    }
}
