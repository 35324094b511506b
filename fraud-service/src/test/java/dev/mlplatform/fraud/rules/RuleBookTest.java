package dev.mlplatform.fraud.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.fraud.decision.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleBookTest {

    private static RuleDefinition rule(String name, String parameters, boolean enabled) {
        return new RuleDefinition(name, RuleType.AMOUNT_LIMIT, parameters, Outcome.REVIEW, enabled, null);
    }

    @Test
    void startsWithNoRules() {
        assertThat(new RuleBook().current().size()).isZero();
    }

    @Test
    void keepsOnlyEnabledRules() {
        RuleBook book = new RuleBook();

        RuleBook.Reload reload = book.replace(List.of(rule("on", "{\"maxAmount\": 10}", true),
                rule("off", "{\"maxAmount\": 10}", false)));

        assertThat(reload.active()).isEqualTo(1);
        assertThat(book.current().rules()).extracting(Rule::name).containsExactly("on");
    }

    @Test
    void anInvalidRowIsReportedWhileTheOthersStillApply() {
        RuleBook book = new RuleBook();

        RuleBook.Reload reload = book.replace(List.of(rule("broken", "{\"maxAmount\": -1}", true),
                rule("fine", "{\"maxAmount\": 10}", true)));

        assertThat(reload.invalid()).singleElement().asString().contains("rule 'broken'");
        assertThat(book.current().rules()).extracting(Rule::name).containsExactly("fine");
    }

    @Test
    void aReloadReplacesTheWholeSet() {
        RuleBook book = new RuleBook();
        book.replace(List.of(rule("old", "{\"maxAmount\": 10}", true)));

        book.replace(List.of(rule("new", "{\"maxAmount\": 20}", true)));

        assertThat(book.current().rules()).extracting(Rule::name).containsExactly("new");
    }
}
