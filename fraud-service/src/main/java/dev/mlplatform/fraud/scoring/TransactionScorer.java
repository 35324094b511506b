package dev.mlplatform.fraud.scoring;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.fraud.decision.Decision;
import dev.mlplatform.fraud.decision.DecisionPolicy;
import dev.mlplatform.fraud.decision.DecisionRecord;
import dev.mlplatform.fraud.decision.Outcome;
import dev.mlplatform.fraud.decision.RolloutTrace;
import dev.mlplatform.fraud.decision.ShadowScore;
import dev.mlplatform.fraud.decision.Source;
import dev.mlplatform.fraud.decision.TransactionDigest;
import dev.mlplatform.fraud.features.OnlineFeatures;
import dev.mlplatform.fraud.features.StreamedFeatures;
import dev.mlplatform.fraud.features.VelocityFeatures;
import dev.mlplatform.fraud.model.FraudFeatureVector;
import dev.mlplatform.fraud.rules.RuleBook;
import dev.mlplatform.fraud.rules.RuleHit;
import dev.mlplatform.fraud.rules.RuleSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides a batch of tokenised transactions: one online feature read for all their cards, customers,
 * devices and merchants, the
 * rules, one model run for all rows (per card: production, a canary or an experiment arm's model,
 * with a shadow model beside it), the thresholds. Stores nothing: see {@link FraudPipeline}.
 */
public final class TransactionScorer {

    /** Reason added when the card's history could not be read and the transaction was decided alone. */
    public static final String FEATURES_UNAVAILABLE = "features_unavailable";
    /** Reason added when the model failed and the rules alone decided (risk score 0, no model version). */
    public static final String MODEL_UNAVAILABLE = "model_unavailable";
    private static final RoutedScore RULES_ONLY = new RoutedScore(0.0, null, SignalThresholds.NONE, null, null);
    private static final Logger log = LoggerFactory.getLogger(TransactionScorer.class);
    private static final int MAX_SIGNALS = 3;

    private final OnlineFeatures features;
    private final RuleBook rules;
    private final ModelRouter models;
    private final DecisionPolicy policy;
    private final Clock clock;
    private final AtomicLong modelFailures = new AtomicLong();

    public TransactionScorer(OnlineFeatures features, RuleBook rules, ModelRouter models, DecisionPolicy policy,
                             Clock clock) {
        this.features = features;
        this.rules = rules;
        this.models = models;
        this.policy = policy;
        this.clock = clock;
    }

    public List<DecisionRecord> score(List<TransactionEvent> transactions, Source source) {
        if (transactions.isEmpty()) {
            return List.of();
        }
        int n = transactions.size();
        List<String> cardOfRow = transactions.stream().map(TransactionEvent::cardToken).toList();
        OnlineFeatures.Lookup lookup = features.read(StreamedFeatures.keysOf(transactions));

        VelocityFeatures[] velocity = new VelocityFeatures[n];
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            TransactionEvent tx = transactions.get(i);
            StreamedFeatures streamed = lookup.available()
                    ? StreamedFeatures.of(tx, lookup)
                    : StreamedFeatures.ofTransactionOnly(tx);
            velocity[i] = streamed.card();
            rows[i] = FraudFeatureVector.of(tx, streamed);
        }
        List<RoutedScore> scores = scoreOrNull(cardOfRow, rows);
        RuleSet ruleSet = rules.current();
        Instant now = clock.instant();

        List<DecisionRecord> decided = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TransactionEvent tx = transactions.get(i);
            RoutedScore scored = scores == null ? RULES_ONLY : scores.get(i);
            double risk = clamp(scored.riskScore());
            Outcome ruled = Outcome.APPROVE;
            List<String> reasons = new ArrayList<>(4);
            for (RuleHit hit : ruleSet.evaluate(tx, velocity[i])) {
                ruled = ruled.atLeast(hit.action());
                reasons.add(hit.reason());
            }
            Outcome outcome = policy.outcomeOf(risk).atLeast(ruled);
            if (outcome != Outcome.APPROVE) {
                reasons.addAll(scored.signals().signals(rows[i], MAX_SIGNALS));
            }
            if (!lookup.available()) {
                reasons.add(FEATURES_UNAVAILABLE);
            }
            if (scores == null) {
                reasons.add(MODEL_UNAVAILABLE);
            }
            if (scored.experiment() != null) {
                reasons.add(scored.experiment().reason());
            }
            Decision decision = new Decision(tx.transactionId(), outcome, risk, reasons, scored.modelVersion(),
                    !lookup.available() || scores == null, now);
            decided.add(new DecisionRecord(decision, tx, FraudFeatureVector.asMap(rows[i]), source,
                    TransactionDigest.of(tx), rollout(scored, ruled)));
        }
        return decided;
    }

    /**
     * The models' scores, or null when scoring failed for another reason than no model being loaded (a native
     * error in the runtime, a model that rejects its input): then the rules alone decide, so that a broken model
     * costs precision, not availability. With no model loaded at all the service is not ready and says so (503).
     */
    private List<RoutedScore> scoreOrNull(List<String> cardTokens, float[][] rows) {
        try {
            return models.score(cardTokens, rows);
        } catch (ModelUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            long failures = modelFailures.incrementAndGet();
            // Once, then every thousandth: a broken model fails every batch.
            if (failures == 1 || failures % 1000 == 0) {
                log.error("the model failed ({} times so far), deciding on the rules alone: {}", failures, e.toString());
            }
            return null;
        }
    }

    /** The experiment arm, and the outcome the shadow's score would have given under the same rules. */
    private RolloutTrace rollout(RoutedScore scored, Outcome ruled) {
        if (scored.experiment() == null && scored.shadow() == null) {
            return RolloutTrace.NONE;
        }
        ShadowScore shadow = null;
        if (scored.shadow() != null) {
            double shadowRisk = clamp(scored.shadow().riskScore());
            shadow = new ShadowScore(scored.shadow().modelVersion(), shadowRisk, policy.outcomeOf(shadowRisk).atLeast(ruled));
        }
        return new RolloutTrace(scored.experiment(), shadow);
    }

    private static double clamp(double score) {
        return Math.min(1.0, Math.max(0.0, score));
    }
}
