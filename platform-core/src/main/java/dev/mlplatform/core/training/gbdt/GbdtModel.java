package dev.mlplatform.core.training.gbdt;

import java.io.IOException;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * A trained gradient-boosted tree classifier: XGBoost's booster restricted to its first
 * {@link #rounds()} boosting rounds (the best ones when training stopped early).
 * Prediction is thread-safe. Close it to free the native booster.
 */
public final class GbdtModel implements AutoCloseable {

    private final Booster booster;
    private final int rounds;
    private final int featureCount;
    private final List<RoundEvaluation> history;

    GbdtModel(Booster booster, int rounds, int featureCount, List<RoundEvaluation> history) {
        this.booster = booster;
        this.rounds = rounds;
        this.featureCount = featureCount;
        this.history = List.copyOf(history);
    }

    /**
     * Loads a model saved with {@link #toXgboostJson()}; its rounds are those up to the saved
     * {@code best_iteration}, else all.
     */
    public static GbdtModel load(byte[] xgboostJson) {
        try {
            Booster booster = XGBoost.loadModel(xgboostJson);
            String best = booster.getAttr("best_iteration");
            int rounds = best == null ? booster.getNumBoostedRound() : Integer.parseInt(best) + 1;
            return new GbdtModel(booster, rounds, (int) booster.getNumFeature(), List.of());
        } catch (XGBoostError | IOException e) {
            throw new IllegalArgumentException("not an XGBoost model: " + e.getMessage(), e);
        }
    }

    /** Probabilities of the positive class, one per row; NaN features are missing values. */
    public float[] predict(float[][] rows) {
        return predict(rows, Booster.PredictionType.kValue);
    }

    /** Raw margins (log-odds) before the sigmoid, one per row. */
    public float[] predictMargin(float[][] rows) {
        return predict(rows, Booster.PredictionType.kMargin);
    }

    private float[] predict(float[][] rows, Booster.PredictionType type) {
        if (rows.length == 0) {
            return new float[0];
        }
        if (rows[0].length != featureCount) {
            throw new IllegalArgumentException("the model expects " + featureCount + " features, row 0 has "
                    + rows[0].length);
        }
        try {
            float[][] predictions = booster.inplace_predict(GbdtDataset.flatten(rows), rows.length, featureCount,
                    Float.NaN, new int[] {0, rounds}, type, null);
            float[] scores = new float[rows.length];
            for (int i = 0; i < rows.length; i++) {
                scores[i] = predictions[i][0];
            }
            return scores;
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
        }
    }

    /** XGBoost's own JSON model (all trained rounds, {@code best_iteration} marking those used). */
    public byte[] toXgboostJson() {
        try {
            return booster.toByteArray("json");
        } catch (XGBoostError e) {
            throw new IllegalStateException("cannot save XGBoost model: " + e.getMessage(), e);
        }
    }

    /** The model as ONNX, scoring exactly as {@link #predict} does; see {@link XgboostOnnxExporter}. */
    public byte[] toOnnx() {
        return XgboostOnnxExporter.export(toXgboostJson(), rounds);
    }

    /** Boosting rounds used for prediction. */
    public int rounds() {
        return rounds;
    }

    public int featureCount() {
        return featureCount;
    }

    /** The metric after each trained round (empty for a loaded model). */
    public List<RoundEvaluation> history() {
        return history;
    }

    @Override
    public void close() {
        booster.dispose();
    }
}
