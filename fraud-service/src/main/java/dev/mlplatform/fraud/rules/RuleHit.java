package dev.mlplatform.fraud.rules;

import dev.mlplatform.fraud.decision.Outcome;

/** A rule that fired on a transaction, what it forces, and why in words. */
public record RuleHit(String rule, RuleType type, Outcome action, String detail) {

    /** The reason code in a decision: {@code rule:<name>}. */
    public String reason() {
        return "rule:" + rule;
    }
}
