package dev.mlplatform.fraud.decision;

import java.util.Objects;

/**
 * The arm of an A/B experiment whose model decided a transaction.
 *
 * @param name the experiment
 * @param arm  the arm the card is assigned to
 */
public record ExperimentArm(String name, String arm) {

    /** Prefix of the reason that names the arm in a decision. */
    public static final String REASON_PREFIX = "experiment:";

    public ExperimentArm {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arm, "arm");
    }

    /** The decision's reason naming the arm: {@code experiment:<name>:<arm>}. */
    public String reason() {
        return REASON_PREFIX + name + ":" + arm;
    }
}
