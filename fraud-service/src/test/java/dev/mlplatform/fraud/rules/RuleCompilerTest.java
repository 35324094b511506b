package dev.mlplatform.fraud.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.fraud.decision.Outcome;
import dev.mlplatform.fraud.features.VelocityFeatures;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleCompilerTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static TransactionEvent tx(String card, String merchant, String amount, String currency) {
        return new TransactionEvent("tx-1", null, card, "cust-1", merchant, null, null, new BigDecimal(amount),
                currency, NOW, "pos", null, null, null, null);
    }

    private static Rule compile(RuleType type, String parameters, Outcome action) {
        return RuleCompiler.compile(new RuleDefinition("r-" + type.name().toLowerCase(), type, parameters, action, true, null));
    }

    @Test
    void declinesWhenTheCardIsBlocklisted() {
        Rule rule = compile(RuleType.CARD_BLOCKLIST, "{\"cardTokens\": [\"ct_bad\", \"ct_worse\"]}", Outcome.DECLINE);
        VelocityFeatures alone = VelocityFeatures.ofTransactionOnly(10);

        assertThat(rule.check(tx("ct_bad", "m-1", "10.00", "EUR"), alone))
                .hasValueSatisfying(hit -> {
                    assertThat(hit.action()).isEqualTo(Outcome.DECLINE);
                    assertThat(hit.reason()).isEqualTo("rule:r-card_blocklist");
                });
        assertThat(rule.check(tx("ct_good", "m-1", "10.00", "EUR"), alone)).isEmpty();
    }

    @Test
    void reviewsPaymentsAtABlocklistedMerchant() {
        Rule rule = compile(RuleType.MERCHANT_BLOCKLIST, "{\"merchantIds\": [\"m-666\"]}", Outcome.REVIEW);
        VelocityFeatures alone = VelocityFeatures.ofTransactionOnly(10);

        assertThat(rule.check(tx("ct_a", "m-666", "10.00", "EUR"), alone)).isPresent();
        assertThat(rule.check(tx("ct_a", "m-667", "10.00", "EUR"), alone)).isEmpty();
    }

    @Test
    void amountLimitFiresOnlyAboveTheLimitAndOnlyInItsCurrency() {
        Rule rule = compile(RuleType.AMOUNT_LIMIT, "{\"maxAmount\": 500, \"currency\": \"EUR\"}", Outcome.REVIEW);
        VelocityFeatures alone = VelocityFeatures.ofTransactionOnly(10);

        assertThat(rule.check(tx("ct_a", "m-1", "500.00", "EUR"), alone)).isEmpty();
        assertThat(rule.check(tx("ct_a", "m-1", "500.01", "EUR"), alone)).isPresent();
        assertThat(rule.check(tx("ct_a", "m-1", "9000.00", "USD"), alone)).isEmpty();
    }

    @Test
    void velocityLimitCountsTheTransactionItself() {
        Rule rule = compile(RuleType.VELOCITY_LIMIT, "{\"window\": \"5m\", \"maxCount\": 3}", Outcome.DECLINE);
        TransactionEvent tx = tx("ct_a", "m-1", "5.00", "EUR");

        VelocityFeatures threeWithThis = new VelocityFeatures(1, 5, 3, 15, 3, 15);
        VelocityFeatures fourWithThis = new VelocityFeatures(2, 10, 4, 20, 4, 20);
        assertThat(rule.check(tx, threeWithThis)).isEmpty();
        assertThat(rule.check(tx, fourWithThis)).hasValueSatisfying(hit ->
                assertThat(hit.detail()).isEqualTo("4 transactions in 5m exceed 3"));
    }

    @Test
    void velocityLimitOnAmountUsesItsOwnWindow() {
        Rule rule = compile(RuleType.VELOCITY_LIMIT, "{\"window\": \"1h\", \"maxAmount\": 1000}", Outcome.REVIEW);
        TransactionEvent tx = tx("ct_a", "m-1", "5.00", "EUR");

        assertThat(rule.check(tx, new VelocityFeatures(1, 999, 1, 999, 1, 999))).isEmpty();
        assertThat(rule.check(tx, new VelocityFeatures(1, 5, 1, 5, 2, 1000.5))).isPresent();
    }

    @Test
    void refusesUnknownParametersNamingThem() {
        assertThatThrownBy(() -> compile(RuleType.AMOUNT_LIMIT, "{\"maxAmount\": 5, \"max_amount\": 6}", Outcome.REVIEW))
                .isInstanceOf(RuleCompiler.InvalidRuleException.class)
                .hasMessageContaining("unknown parameter 'max_amount'");
    }

    @Test
    void refusesWindowsTheFeatureViewDoesNotHave() {
        assertThatThrownBy(() -> compile(RuleType.VELOCITY_LIMIT, "{\"window\": \"10m\", \"maxCount\": 3}", Outcome.REVIEW))
                .isInstanceOf(RuleCompiler.InvalidRuleException.class)
                .hasMessageContaining("'window' must be one of 1m, 5m, 1h");
    }

    @Test
    void refusesAVelocityRuleWithoutALimit() {
        assertThatThrownBy(() -> compile(RuleType.VELOCITY_LIMIT, "{\"window\": \"1m\"}", Outcome.REVIEW))
                .hasMessageContaining("needs 'maxCount', 'maxAmount' or both");
    }

    @Test
    void refusesNonPositiveAmountsAndParametersThatAreNotJson() {
        assertThatThrownBy(() -> compile(RuleType.AMOUNT_LIMIT, "{\"maxAmount\": 0}", Outcome.REVIEW))
                .hasMessageContaining("'maxAmount' must be a number > 0");
        assertThatThrownBy(() -> compile(RuleType.AMOUNT_LIMIT, "{maxAmount: 5", Outcome.REVIEW))
                .hasMessageContaining("parameters are not JSON");
        assertThatThrownBy(() -> compile(RuleType.CARD_BLOCKLIST, "[]", Outcome.REVIEW))
                .hasMessageContaining("must be a JSON object");
    }

    @Test
    void aRuleCannotForceApproval() {
        assertThatThrownBy(() -> new RuleDefinition("r", RuleType.AMOUNT_LIMIT, "{}", Outcome.APPROVE, true, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyFiringRuleIsReportedInOrder() {
        RuleSet rules = new RuleSet(List.of(
                compile(RuleType.AMOUNT_LIMIT, "{\"maxAmount\": 100}", Outcome.REVIEW),
                compile(RuleType.MERCHANT_BLOCKLIST, "{\"merchantIds\": [\"m-1\"]}", Outcome.DECLINE)));

        List<RuleHit> hits = rules.evaluate(tx("ct_a", "m-1", "150.00", "EUR"), VelocityFeatures.ofTransactionOnly(150));

        assertThat(hits).extracting(RuleHit::rule).containsExactly("r-amount_limit", "r-merchant_blocklist");
    }
}
