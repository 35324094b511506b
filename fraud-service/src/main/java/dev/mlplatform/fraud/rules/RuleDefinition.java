package dev.mlplatform.fraud.rules;

import dev.mlplatform.fraud.decision.Outcome;
import java.util.Objects;

/**
 * One row of {@code fraud.rules}: rules are data, changed by operators without a deployment.
 *
 * @param parameters the rule's parameters as a JSON object; their shape depends on {@code type}
 * @param action     what the rule forces when it fires: {@link Outcome#REVIEW} or {@link Outcome#DECLINE}
 */
public record RuleDefinition(String name, RuleType type, String parameters, Outcome action, boolean enabled,
                             String description) {

    public RuleDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        parameters = parameters == null ? "{}" : parameters;
        Objects.requireNonNull(action, "action");
        if (action == Outcome.APPROVE) {
            throw new IllegalArgumentException("rule " + name + ": a rule can force REVIEW or DECLINE, not APPROVE");
        }
    }
}
