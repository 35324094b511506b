package dev.mlplatform.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DecisionTest {

    @Test
    void readsTheAnswerOfTheScoringApi() {
        Decision d = Decision.parse("""
                {"transactionId":"tx-1","decision":"DECLINE","riskScore":0.93,
                 "reasons":["velocity_1m", {"code":"amount_limit","message":"over 5000"}],
                 "modelVersion":"fraud-gbdt-3","degraded":false,"somethingNew":1}""");
        assertThat(d.transactionId()).isEqualTo("tx-1");
        assertThat(d.decision()).isEqualTo("DECLINE");
        assertThat(d.riskScore()).isEqualTo(0.93);
        assertThat(d.reasons()).containsExactly("velocity_1m", "amount_limit");
        assertThat(d.modelVersion()).isEqualTo("fraud-gbdt-3");
        assertThat(d.degraded()).isFalse();
    }

    @Test
    void toleratesAMissingScore() {
        Decision d = Decision.parse("{\"transactionId\":\"tx-2\",\"decision\":\"REVIEW\",\"degraded\":true}");
        assertThat(d.riskScore()).isNaN();
        assertThat(d.degraded()).isTrue();
        assertThat(d.reasons()).isEmpty();
    }

    @Test
    void refusesWhatIsNotADecision() {
        assertThatThrownBy(() -> Decision.parse("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Decision.parse("{\"transactionId\":\"tx-3\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no transactionId or decision");
    }
}
