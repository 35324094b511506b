package dev.mlplatform.fraud.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DecisionPolicyTest {

    private final DecisionPolicy policy = new DecisionPolicy(0.5, 0.85);

    @Test
    void approvesBelowTheReviewThreshold() {
        assertThat(policy.outcomeOf(0.0)).isEqualTo(Outcome.APPROVE);
        assertThat(policy.outcomeOf(0.4999)).isEqualTo(Outcome.APPROVE);
    }

    @Test
    void reviewsFromTheReviewThresholdUpToTheDeclineThreshold() {
        assertThat(policy.outcomeOf(0.5)).isEqualTo(Outcome.REVIEW);
        assertThat(policy.outcomeOf(0.8499)).isEqualTo(Outcome.REVIEW);
    }

    @Test
    void declinesFromTheDeclineThreshold() {
        assertThat(policy.outcomeOf(0.85)).isEqualTo(Outcome.DECLINE);
        assertThat(policy.outcomeOf(1.0)).isEqualTo(Outcome.DECLINE);
    }

    @Test
    void equalThresholdsLeaveNoReviewBand() {
        DecisionPolicy strict = new DecisionPolicy(0.7, 0.7);
        assertThat(strict.outcomeOf(0.69)).isEqualTo(Outcome.APPROVE);
        assertThat(strict.outcomeOf(0.7)).isEqualTo(Outcome.DECLINE);
    }

    @Test
    void refusesThresholdsOutOfOrderOrOutOfRange() {
        assertThatThrownBy(() -> new DecisionPolicy(0.9, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecisionPolicy(-0.1, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecisionPolicy(0.5, 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecisionPolicy(Double.NaN, 0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void strictestOutcomeWins() {
        assertThat(Outcome.APPROVE.atLeast(Outcome.REVIEW)).isEqualTo(Outcome.REVIEW);
        assertThat(Outcome.DECLINE.atLeast(Outcome.REVIEW)).isEqualTo(Outcome.DECLINE);
        assertThat(Outcome.REVIEW.atLeast(Outcome.APPROVE)).isEqualTo(Outcome.REVIEW);
    }
}
