package dev.mlplatform.fraud.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlplatform.core.events.CardTokenizer;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.core.experiment.ArmSummary;
import dev.mlplatform.core.experiment.Experiment;
import dev.mlplatform.core.registry.ModelStage;
import dev.mlplatform.fraud.Transactions;
import dev.mlplatform.fraud.decision.Decision;
import dev.mlplatform.fraud.decision.DecisionRecord;
import dev.mlplatform.fraud.decision.ExperimentArm;
import dev.mlplatform.fraud.decision.Outcome;
import dev.mlplatform.fraud.decision.RolloutTrace;
import dev.mlplatform.fraud.decision.ShadowScore;
import dev.mlplatform.fraud.decision.Source;
import dev.mlplatform.fraud.decision.TransactionDigest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChallengerOutcomesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ChallengerOutcomes outcomes = new ChallengerOutcomes(List.of(new ModelExperiment(
            new Experiment("ab", List.of(new Experiment.Arm("champion", 1), new Experiment.Arm("challenger", 1)), null,
                    null, null),
            Map.of("champion", ModelStage.PRODUCTION, "challenger", ModelStage.CANARY))), meters);

    private static DecisionRecord decided(Outcome outcome, double risk, RolloutTrace rollout) {
        TransactionEvent tx = Transactions.transaction("10.00", NOW).tokenized(new CardTokenizer("test-key"));
        return new DecisionRecord(new Decision(tx.transactionId(), outcome, risk, List.of(), "fraud-gbdt:1", false, NOW),
                tx, Map.of(), Source.REST, TransactionDigest.of(tx), rollout);
    }

    @Test
    void countsTheShadowsScoresAndTheDecisionsItWouldHaveMadeDifferently() {
        outcomes.record(decided(Outcome.APPROVE, 0.1, new RolloutTrace(null,
                new ShadowScore("fraud-gbdt:3", 0.2, Outcome.APPROVE))));
        outcomes.record(decided(Outcome.APPROVE, 0.1, new RolloutTrace(null,
                new ShadowScore("fraud-gbdt:3", 0.9, Outcome.DECLINE))));
        outcomes.record(decided(Outcome.APPROVE, 0.1, RolloutTrace.NONE));

        assertThat(meters.get("fraud.shadow.score").tag("version", "fraud-gbdt:3").summary().count()).isEqualTo(2);
        assertThat(meters.get("fraud.shadow.score").summary().totalAmount()).isCloseTo(1.1, within(1e-9));
        assertThat(meters.get("fraud.shadow.disagreements").tags("version", "fraud-gbdt:3", "production", "APPROVE",
                "shadow", "DECLINE").counter().count()).isEqualTo(1);
        // Every other way to disagree is there from the first score, at zero; agreeing is no disagreement.
        assertThat(meters.find("fraud.shadow.disagreements").counters()).hasSize(6);
        assertThat(meters.get("fraud.shadow.disagreements").tags("production", "REVIEW", "shadow", "APPROVE").counter()
                .count()).isZero();
        assertThat(meters.find("fraud.shadow.disagreements").tags("production", "APPROVE", "shadow", "APPROVE")
                .counter()).isNull();
    }

    @Test
    void countsEachArmsDeclinesReviewsAndRiskScores() {
        ExperimentArm champion = new ExperimentArm("ab", "champion");
        ExperimentArm challenger = new ExperimentArm("ab", "challenger");
        outcomes.record(decided(Outcome.DECLINE, 0.9, new RolloutTrace(champion, null)));
        outcomes.record(decided(Outcome.APPROVE, 0.1, new RolloutTrace(champion, null)));
        outcomes.record(decided(Outcome.REVIEW, 0.6, new RolloutTrace(challenger, null)));
        outcomes.record(decided(Outcome.APPROVE, 0.1, RolloutTrace.NONE));

        List<ArmSummary> arms = outcomes.outcomes("ab").orElseThrow().summaries();
        assertThat(arms.get(0).units()).isEqualTo(2);
        assertThat(arms.get(0).hits()).containsEntry(ChallengerOutcomes.DECLINE, 1L)
                .containsEntry(ChallengerOutcomes.REVIEW, 0L);
        assertThat(arms.get(0).values().get(ChallengerOutcomes.RISK_SCORE).mean()).isCloseTo(0.5, within(1e-9));
        assertThat(arms.get(1).units()).isEqualTo(1);
        assertThat(arms.get(1).hits()).containsEntry(ChallengerOutcomes.REVIEW, 1L);
        assertThat(meters.get("fraud.experiment.units").tags("experiment", "ab", "arm", "champion")
                .functionCounter().count()).isEqualTo(2);
        assertThat(outcomes.experiment("ab")).isPresent();
        assertThat(outcomes.experiment("nope")).isEmpty();
    }
}
