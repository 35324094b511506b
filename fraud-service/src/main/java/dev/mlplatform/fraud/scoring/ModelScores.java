package dev.mlplatform.fraud.scoring;

/**
 * Scores of one batch, with the model version that produced them all and that version's signal
 * thresholds (which feature values count as unusual).
 */
public record ModelScores(float[] scores, String modelVersion, SignalThresholds signals) {
}
