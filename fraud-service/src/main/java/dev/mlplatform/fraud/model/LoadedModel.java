package dev.mlplatform.fraud.model;

import dev.mlplatform.core.inference.OnnxPredictor;
import dev.mlplatform.fraud.scoring.SignalThresholds;

/** One model version in memory: its ONNX session and its signal thresholds. Closed when swapped out. */
record LoadedModel(OnnxPredictor predictor, SignalThresholds signals) implements AutoCloseable {

    @Override
    public void close() {
        predictor.close();
    }
}
