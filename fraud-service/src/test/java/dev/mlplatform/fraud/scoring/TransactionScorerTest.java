package dev.mlplatform.fraud.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.CardTokenizer;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.online.OnlineStore;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.fraud.Transactions;
import dev.mlplatform.fraud.decision.DecisionPolicy;
import dev.mlplatform.fraud.decision.DecisionRecord;
import dev.mlplatform.fraud.decision.ExperimentArm;
import dev.mlplatform.fraud.decision.Outcome;
import dev.mlplatform.fraud.decision.RolloutTrace;
import dev.mlplatform.fraud.decision.ShadowScore;
import dev.mlplatform.fraud.decision.Source;
import dev.mlplatform.fraud.features.OnlineFeatures;
import dev.mlplatform.fraud.model.FraudFeatureVector;
import dev.mlplatform.fraud.rules.RuleBook;
import dev.mlplatform.fraud.rules.RuleDefinition;
import dev.mlplatform.fraud.rules.RuleType;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The combination logic of a decision: rules over the model's score, thresholds, reasons, the
 * degraded path. The model here is a test double that scores by amount, so that each case sets the
 * score it needs; the real model's scores are tested in FraudModelTrainerTest and the ITs.
 */
class TransactionScorerTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final CardTokenizer tokenizer = new CardTokenizer("test-key");

    private static final SignalThresholds SIGNALS = new SignalThresholds(Map.of("amount", 300.0, "tx_count_1m", 2.0),
            FraudFeatureVector.NAMES);

    /** Risk = amount / 1000, capped at 1: 100.00 scores 0.1, 600.00 scores 0.6, 900.00 scores 0.9. */
    private static double byAmount(float[] row) {
        return Math.min(1.0, row[FraudFeatureVector.indexOf("amount")] / 1000.0);
    }

    /** Production alone decides, by amount. */
    private static final ModelRouter BY_AMOUNT = (cards, rows) -> Arrays.stream(rows)
            .map(row -> new RoutedScore(byAmount(row), "test-model:1", SIGNALS, null, null)).toList();

    private final Map<String, FeatureRow> rows = new HashMap<>();
    private final AtomicReference<RuntimeException> storeFailure = new AtomicReference<>();
    private final OnlineStore store = new OnlineStore() {
        @Override
        public void writeBatch(FeatureView view, List<FeatureRow> batch) {
            batch.forEach(row -> rows.put(view.id() + '/' + row.entityId(), row));
        }

        @Override
        public Map<String, FeatureRow> readBatch(FeatureView view, Collection<String> ids) {
            if (storeFailure.get() != null) {
                throw storeFailure.get();
            }
            Map<String, FeatureRow> found = new HashMap<>();
            ids.stream().filter(id -> rows.containsKey(view.id() + '/' + id))
                    .forEach(id -> found.put(id, rows.get(view.id() + '/' + id)));
            return found;
        }

        @Override
        public void delete(FeatureView view, String entityId) {
        }

        @Override
        public void close() {
        }
    };
    private final OnlineFeatures features = new OnlineFeatures(() -> store, CircuitBreaker.ofDefaults("t"),
            TimeLimiter.of(Duration.ofSeconds(1)), Executors.newSingleThreadExecutor(), new SimpleMeterRegistry(),
            Clock.fixed(NOW, ZoneOffset.UTC));
    private final RuleBook rules = new RuleBook();
    private final TransactionScorer scorer = new TransactionScorer(features, rules, BY_AMOUNT,
            new DecisionPolicy(0.5, 0.85), Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterEach
    void close() {
        features.close();
    }

    private TransactionEvent tx(String amount) {
        return Transactions.transaction(amount, NOW.minusSeconds(1)).tokenized(tokenizer);
    }

    private DecisionRecord decide(TransactionEvent tx) {
        return scorer.score(List.of(tx), Source.REST).get(0);
    }

    @Test
    void approvesALowScoreWithoutReasons() {
        DecisionRecord record = decide(tx("100.00"));

        assertThat(record.decision().outcome()).isEqualTo(Outcome.APPROVE);
        assertThat(record.decision().riskScore()).isEqualTo(0.1, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(record.decision().reasons()).isEmpty();
        assertThat(record.decision().modelVersion()).isEqualTo("test-model:1");
        assertThat(record.decision().degraded()).isFalse();
    }

    @Test
    void reviewsAndDeclinesByThresholdNamingTheUnusualFeatures() {
        DecisionRecord review = decide(tx("600.00"));
        DecisionRecord decline = decide(tx("900.00"));

        assertThat(review.decision().outcome()).isEqualTo(Outcome.REVIEW);
        assertThat(review.decision().reasons()).containsExactly("high_amount");
        assertThat(decline.decision().outcome()).isEqualTo(Outcome.DECLINE);
    }

    @Test
    void aRuleForcesItsOutcomeOverALowScore() {
        TransactionEvent tx = tx("10.00");
        rules.replace(List.of(new RuleDefinition("blocked-card", RuleType.CARD_BLOCKLIST,
                "{\"cardTokens\": [\"" + tx.cardToken() + "\"]}", Outcome.DECLINE, true, null)));

        DecisionRecord record = decide(tx);

        assertThat(record.decision().outcome()).isEqualTo(Outcome.DECLINE);
        assertThat(record.decision().riskScore()).isLessThan(0.5);
        assertThat(record.decision().reasons()).first().isEqualTo("rule:blocked-card");
    }

    @Test
    void aReviewRuleDoesNotSoftenADeclineByScore() {
        rules.replace(List.of(new RuleDefinition("big", RuleType.AMOUNT_LIMIT, "{\"maxAmount\": 500}",
                Outcome.REVIEW, true, null)));

        DecisionRecord record = decide(tx("900.00"));

        assertThat(record.decision().outcome()).isEqualTo(Outcome.DECLINE);
        assertThat(record.decision().reasons()).contains("rule:big", "high_amount");
    }

    @Test
    void theCardsOnlineHistoryAndTheTransactionMakeTheVelocity() {
        TransactionEvent tx = tx("10.00");
        store.writeBatch(FraudFeatures.CARD_VELOCITY, List.of(new FeatureRow(tx.cardToken(), NOW.minusSeconds(20), Map.of(
                "tx_count_1m", 3L, "tx_amount_1m", 30.0, "tx_count_5m", 3L, "tx_amount_5m", 30.0,
                "tx_count_1h", 3L, "tx_amount_1h", 30.0))));
        rules.replace(List.of(new RuleDefinition("burst", RuleType.VELOCITY_LIMIT,
                "{\"window\": \"1m\", \"maxCount\": 3}", Outcome.DECLINE, true, null)));

        DecisionRecord record = decide(tx);

        assertThat(record.features()).containsEntry("tx_count_1m", 4.0).containsEntry("tx_amount_1h", 40.0);
        assertThat(record.decision().outcome()).isEqualTo(Outcome.DECLINE);
        assertThat(record.decision().reasons()).containsExactly("rule:burst", "high_tx_count_1m");
    }

    @Test
    void withoutTheOnlineStoreTheTransactionIsDecidedAloneAndFlaggedDegraded() {
        TransactionEvent tx = tx("10.00");
        store.writeBatch(FraudFeatures.CARD_VELOCITY, List.of(new FeatureRow(tx.cardToken(), NOW.minusSeconds(20), Map.of("tx_count_1m", 9L))));
        storeFailure.set(new IllegalStateException("redis down"));

        DecisionRecord record = decide(tx);

        assertThat(record.decision().degraded()).isTrue();
        assertThat(record.decision().outcome()).isEqualTo(Outcome.APPROVE);
        assertThat(record.decision().reasons()).containsExactly(TransactionScorer.FEATURES_UNAVAILABLE);
        assertThat(record.features()).containsEntry("tx_count_1m", 1.0);
    }

    @Test
    void aFailingModelLeavesTheDecisionToTheRulesFlaggedDegraded() {
        ModelRouter broken = (cards, rows) -> {
            throw new IllegalStateException("onnxruntime: invalid input");
        };
        TransactionScorer scorer = new TransactionScorer(features, rules, broken, new DecisionPolicy(0.5, 0.85),
                Clock.fixed(NOW, ZoneOffset.UTC));
        rules.replace(List.of(new RuleDefinition("big", RuleType.AMOUNT_LIMIT, "{\"maxAmount\": 500}",
                Outcome.REVIEW, true, null)));

        List<DecisionRecord> records = scorer.score(List.of(tx("900.00"), tx("20.00")), Source.KAFKA);

        assertThat(records).extracting(record -> record.decision().outcome())
                .containsExactly(Outcome.REVIEW, Outcome.APPROVE);
        assertThat(records).allSatisfy(record -> {
            assertThat(record.decision().degraded()).isTrue();
            assertThat(record.decision().modelVersion()).isNull();
            assertThat(record.decision().riskScore()).isZero();
            assertThat(record.decision().reasons()).endsWith(TransactionScorer.MODEL_UNAVAILABLE);
        });
        assertThat(records.get(0).decision().reasons()).first().isEqualTo("rule:big");
    }

    @Test
    void withNoModelLoadedAtAllTheScorerSaysSoInsteadOfDecidingOnRules() {
        ModelRouter none = (cards, rows) -> {
            throw new ModelUnavailableException("no fraud model is loaded yet");
        };
        TransactionScorer scorer = new TransactionScorer(features, rules, none, new DecisionPolicy(0.5, 0.85),
                Clock.fixed(NOW, ZoneOffset.UTC));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> scorer.score(List.of(tx("20.00")), Source.REST))
                .isInstanceOf(ModelUnavailableException.class);
    }

    @Test
    void scoresABatchInOrderWithOneStoreRead() {
        List<TransactionEvent> batch = List.of(tx("100.00"), tx("600.00"), tx("900.00"));

        List<DecisionRecord> records = scorer.score(batch, Source.KAFKA);

        assertThat(records).extracting(r -> r.decision().outcome())
                .containsExactly(Outcome.APPROVE, Outcome.REVIEW, Outcome.DECLINE);
        assertThat(records).extracting(DecisionRecord::transactionId)
                .containsExactlyElementsOf(batch.stream().map(TransactionEvent::transactionId).toList());
        assertThat(records).allSatisfy(r -> assertThat(r.source()).isEqualTo(Source.KAFKA));
    }

    @Test
    void keepsTheShadowsScoreAndTheOutcomeItWouldHaveGivenUnderTheSameRulesWithoutUsingIt() {
        TransactionEvent blocked = tx("10.00");
        rules.replace(List.of(new RuleDefinition("blocked-card", RuleType.CARD_BLOCKLIST,
                "{\"cardTokens\": [\"" + blocked.cardToken() + "\"]}", Outcome.DECLINE, true, null)));
        ModelRouter withShadow = (cards, rows) -> Arrays.stream(rows).map(row -> new RoutedScore(byAmount(row),
                "test-model:1", SIGNALS, null, new RoutedScore.Shadow("shadow-model:2", 0.6))).toList();
        TransactionScorer shadowed = new TransactionScorer(features, rules, withShadow, new DecisionPolicy(0.5, 0.85),
                Clock.fixed(NOW, ZoneOffset.UTC));

        List<DecisionRecord> records = shadowed.score(List.of(tx("100.00"), blocked), Source.REST);

        DecisionRecord approved = records.get(0);
        assertThat(approved.decision().outcome()).isEqualTo(Outcome.APPROVE);
        assertThat(approved.decision().riskScore()).isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(approved.decision().modelVersion()).isEqualTo("test-model:1");
        assertThat(approved.decision().reasons()).isEmpty();
        assertThat(approved.rollout()).isEqualTo(new RolloutTrace(null,
                new ShadowScore("shadow-model:2", 0.6, Outcome.REVIEW)));
        assertThat(records.get(1).decision().outcome()).isEqualTo(Outcome.DECLINE);
        assertThat(records.get(1).rollout().shadow().decision()).as("the rule applies to the shadow too")
                .isEqualTo(Outcome.DECLINE);
    }

    @Test
    void namesTheExperimentArmInTheReasonsAndTheRecord() {
        ExperimentArm arm = new ExperimentArm("champion-vs-challenger", "challenger");
        ModelRouter experiment = (cards, rows) -> Arrays.stream(rows)
                .map(row -> new RoutedScore(byAmount(row), "test-model:2", SIGNALS, arm, null)).toList();
        TransactionScorer experimentScorer = new TransactionScorer(features, rules, experiment,
                new DecisionPolicy(0.5, 0.85), Clock.fixed(NOW, ZoneOffset.UTC));

        DecisionRecord record = experimentScorer.score(List.of(tx("600.00")), Source.REST).get(0);

        assertThat(record.decision().modelVersion()).isEqualTo("test-model:2");
        assertThat(record.decision().reasons()).containsExactly("high_amount",
                "experiment:champion-vs-challenger:challenger");
        assertThat(record.rollout()).isEqualTo(new RolloutTrace(arm, null));
    }

    @Test
    void withoutChallengersTheRecordCarriesNoRolloutTrace() {
        assertThat(decide(tx("100.00")).rollout()).isSameAs(RolloutTrace.NONE);
    }
}
