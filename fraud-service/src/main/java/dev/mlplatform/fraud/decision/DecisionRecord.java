package dev.mlplatform.fraud.decision;

import dev.mlplatform.core.events.TransactionEvent;
import java.util.Map;
import java.util.Objects;

/**
 * A decision with what it was made from, as stored: the tokenised transaction (never a card
 * number), the feature values the model saw (the feature log that point-in-time training sets are
 * built from), a digest of the transaction that tells a replay from a different transaction
 * reusing the id, and where the decision stood in the model rollout (experiment arm, shadow score).
 */
public record DecisionRecord(Decision decision, TransactionEvent transaction, Map<String, Double> features,
                             Source source, String requestHash, RolloutTrace rollout) {

    public DecisionRecord {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(transaction, "transaction");
        if (transaction.cardNumber() != null) {
            throw new IllegalArgumentException("a decision record must hold the tokenised transaction only");
        }
        features = features == null ? Map.of() : Map.copyOf(features);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(requestHash, "requestHash");
        rollout = rollout == null ? RolloutTrace.NONE : rollout;
    }

    /** A decision outside any experiment and without a shadow model. */
    public DecisionRecord(Decision decision, TransactionEvent transaction, Map<String, Double> features, Source source,
                          String requestHash) {
        this(decision, transaction, features, source, requestHash, RolloutTrace.NONE);
    }

    public String transactionId() {
        return decision.transactionId();
    }
}
