package dev.mlplatform.fraud.decision;

/**
 * How a decision stood in the model rollout: the experiment arm that decided it and what the
 * shadow model said, each null when there was none. Stored with the decision (column
 * {@code rollout}) so that challengers can be compared with the champion offline.
 */
public record RolloutTrace(ExperimentArm experiment, ShadowScore shadow) {

    /** Decided by production or a canary, outside any experiment, with no shadow. */
    public static final RolloutTrace NONE = new RolloutTrace(null, null);
}
