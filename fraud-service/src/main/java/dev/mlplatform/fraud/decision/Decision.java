package dev.mlplatform.fraud.decision;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The verdict on one transaction.
 *
 * @param transactionId the transaction's id, unique: a transaction is decided once
 * @param outcome       approve, review or decline
 * @param riskScore     the model's fraud probability, 0..1
 * @param reasons       why: rules that fired ({@code rule:<name>}) and the strongest signals
 * @param modelVersion  the model that scored it ({@code name:version})
 * @param degraded      true when the online features were unavailable and the decision used the
 *                      transaction alone
 * @param decidedAt     when it was decided
 */
public record Decision(String transactionId, Outcome outcome, double riskScore, List<String> reasons,
                       String modelVersion, boolean degraded, Instant decidedAt) {

    public Decision {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(outcome, "outcome");
        if (!(riskScore >= 0 && riskScore <= 1)) {
            throw new IllegalArgumentException("risk score must lie in [0, 1], got " + riskScore);
        }
        reasons = List.copyOf(reasons);
        Objects.requireNonNull(decidedAt, "decidedAt");
    }
}
