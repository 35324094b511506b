package dev.mlplatform.fraud.api;

import dev.mlplatform.fraud.decision.Decision;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The answer to a scoring request (DESIGN §7). */
@Schema(description = "The decision on a transaction")
record ScoreResponse(
        @Schema(example = "tx-000001") String transactionId,
        @Schema(example = "APPROVE", allowableValues = {"APPROVE", "REVIEW", "DECLINE"}) String decision,
        @Schema(example = "0.03", minimum = "0", maximum = "1") double riskScore,
        @Schema(example = "[]", description = "rules that fired (rule:<name>) and the strongest signals (high_<feature>)")
        List<String> reasons,
        @Schema(example = "fraud-gbdt:1") String modelVersion,
        @Schema(description = "true when the online features (card, customer, device, merchant) were unavailable and the decision used the transaction alone")
        boolean degraded) {

    static ScoreResponse of(Decision decision) {
        return new ScoreResponse(decision.transactionId(), decision.outcome().name(), decision.riskScore(),
                decision.reasons(), decision.modelVersion(), decision.degraded());
    }
}
