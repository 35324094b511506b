package dev.mlplatform.fraud.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules in force, swapped atomically when the table is reread: a decision sees either the old
 * or the new set, never half of each. A row that does not compile is left out and reported; the
 * others still apply, so that one typo cannot switch all rules off.
 */
public final class RuleBook {

    private static final Logger log = LoggerFactory.getLogger(RuleBook.class);

    /** What a reload did: the rules now in force and the rows that were refused, with why. */
    public record Reload(int active, List<String> invalid) {
    }

    private final AtomicReference<RuleSet> current = new AtomicReference<>(RuleSet.EMPTY);

    public RuleSet current() {
        return current.get();
    }

    /** Replaces the rules in force by the enabled, valid ones of {@code definitions}. */
    public Reload replace(List<RuleDefinition> definitions) {
        List<Rule> rules = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        for (RuleDefinition definition : definitions) {
            if (!definition.enabled()) {
                continue;
            }
            try {
                rules.add(RuleCompiler.compile(definition));
            } catch (RuleCompiler.InvalidRuleException e) {
                invalid.add(e.getMessage());
            }
        }
        RuleSet next = new RuleSet(rules);
        RuleSet previous = current.getAndSet(next);
        if (!previous.equals(next)) {
            log.info("rules reloaded: {} in force", next.size());
        }
        invalid.forEach(problem -> log.error("rule ignored: {}", problem));
        return new Reload(next.size(), List.copyOf(invalid));
    }
}
