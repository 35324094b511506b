package dev.mlplatform.fraud.rules;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.fraud.features.VelocityFeatures;
import java.util.ArrayList;
import java.util.List;

/** An immutable set of compiled rules, evaluated in order; every rule that fires is reported. */
public record RuleSet(List<Rule> rules) {

    public static final RuleSet EMPTY = new RuleSet(List.of());

    public RuleSet {
        rules = List.copyOf(rules);
    }

    public List<RuleHit> evaluate(TransactionEvent transaction, VelocityFeatures velocity) {
        List<RuleHit> hits = new ArrayList<>(2);
        for (Rule rule : rules) {
            rule.check(transaction, velocity).ifPresent(hits::add);
        }
        return hits;
    }

    public int size() {
        return rules.size();
    }
}
