package dev.mlplatform.core.training.gbdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains a gradient-boosted tree binary classifier with XGBoost.
 *
 * <p>The boosting loop is driven here, one round at a time, rather than by {@code XGBoost.train},
 * so that each round can be reported while it runs and early stopping keeps the best round: the
 * resulting {@link GbdtModel} predicts (and exports) with the trees up to that round only.
 */
public final class GbdtTrainer {

    private final GbdtParams params;

    public GbdtTrainer(GbdtParams params) {
        this.params = params;
    }

    /** Trains all {@link GbdtParams#maxRounds()} rounds on {@code train}. */
    public GbdtModel train(GbdtDataset train) {
        return train(train, null, TrainingProgress.SILENT);
    }

    /**
     * Trains on {@code train}, evaluating {@code validation} (may be {@code null}) each round and
     * stopping early on it when {@link GbdtParams#earlyStoppingRounds()} is positive.
     */
    public GbdtModel train(GbdtDataset train, GbdtDataset validation, TrainingProgress progress) {
        if (validation != null && validation.featureCount() != train.featureCount()) {
            throw new IllegalArgumentException("validation rows have " + validation.featureCount()
                    + " features, training rows " + train.featureCount());
        }
        DMatrix trainMatrix = null;
        DMatrix validationMatrix = null;
        try {
            trainMatrix = toMatrix(train);
            Map<String, DMatrix> watches = new LinkedHashMap<>();
            watches.put("train", trainMatrix);
            if (validation != null) {
                validationMatrix = toMatrix(validation);
                watches.put("validation", validationMatrix);
            }
            DMatrix[] evaluated = watches.values().toArray(DMatrix[]::new);
            String[] names = watches.keySet().toArray(String[]::new);
            // Zero rounds: XGBoost's public way to create a booster bound to these matrices.
            Booster booster = XGBoost.train(trainMatrix, params.toXgboost(), 0, watches, null, null);
            try {
                List<RoundEvaluation> history = new ArrayList<>();
                boolean earlyStopping = validation != null && params.earlyStoppingRounds() > 0;
                int bestRound = -1;
                double bestScore = Double.NaN;
                for (int round = 0; round < params.maxRounds(); round++) {
                    booster.update(trainMatrix, round);
                    float[] values = new float[evaluated.length];
                    booster.evalSet(evaluated, names, round, values);
                    RoundEvaluation evaluation = new RoundEvaluation(round, params.maxRounds(), params.evalMetric(),
                            values[0], validation == null ? Double.NaN : values[1]);
                    history.add(evaluation);
                    progress.onRound(evaluation);
                    if (!earlyStopping) {
                        continue;
                    }
                    if (bestRound < 0 || params.evalMetric().improves(evaluation.validation(), bestScore)) {
                        bestRound = round;
                        bestScore = evaluation.validation();
                    } else if (round - bestRound >= params.earlyStoppingRounds()) {
                        break;
                    }
                }
                int rounds = earlyStopping ? bestRound + 1 : history.size();
                // Saved with the model, so that a reloaded booster knows which rounds count.
                booster.setAttr("best_iteration", String.valueOf(rounds - 1));
                return new GbdtModel(booster, rounds, train.featureCount(), history);
            } catch (XGBoostError | RuntimeException e) {
                booster.dispose();
                throw e;
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
        } finally {
            if (trainMatrix != null) {
                trainMatrix.dispose();
            }
            if (validationMatrix != null) {
                validationMatrix.dispose();
            }
        }
    }

    private static DMatrix toMatrix(GbdtDataset dataset) throws XGBoostError {
        DMatrix matrix = new DMatrix(dataset.rowMajor(), dataset.size(), dataset.featureCount(), Float.NaN);
        matrix.setLabel(dataset.labels());
        if (dataset.weights() != null) {
            matrix.setWeight(dataset.weights());
        }
        return matrix;
    }
}
