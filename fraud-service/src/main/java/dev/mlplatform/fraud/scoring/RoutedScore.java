package dev.mlplatform.fraud.scoring;

import dev.mlplatform.fraud.decision.ExperimentArm;

/**
 * The model side of one transaction's decision.
 *
 * @param riskScore    the deciding model's fraud probability
 * @param modelVersion the deciding version ({@code name:version})
 * @param signals      that version's signal thresholds
 * @param experiment   the experiment arm whose model decided, or null outside an experiment
 * @param shadow       what the shadow model said, or null when there is none or it failed
 */
public record RoutedScore(double riskScore, String modelVersion, SignalThresholds signals, ExperimentArm experiment,
                          Shadow shadow) {

    /** The shadow model's score of the same row. */
    public record Shadow(String modelVersion, double riskScore) {
    }
}
