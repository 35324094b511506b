package dev.mlplatform.fraud.decision;

import java.util.Objects;

/**
 * What a shadow model said about a transaction it did not decide: kept with the decision to be
 * compared offline, never shown to the client or used.
 *
 * @param modelVersion the shadow version ({@code name:version})
 * @param riskScore    its score, 0..1
 * @param decision     the outcome its score would have given, with the same rules
 */
public record ShadowScore(String modelVersion, double riskScore, Outcome decision) {

    public ShadowScore {
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(decision, "decision");
    }
}
