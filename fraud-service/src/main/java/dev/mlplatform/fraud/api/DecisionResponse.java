package dev.mlplatform.fraud.api;

import dev.mlplatform.fraud.decision.Decision;
import dev.mlplatform.fraud.decision.DecisionRecord;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A stored decision: the scoring answer plus when and through which path it was made. */
@Schema(description = "A stored decision")
record DecisionResponse(String transactionId, String decision, double riskScore, List<String> reasons,
                        String modelVersion, boolean degraded,
                        @Schema(description = "REST or KAFKA") String source,
                        Instant eventTime, Instant decidedAt) {

    static DecisionResponse of(DecisionRecord record) {
        Decision d = record.decision();
        return new DecisionResponse(d.transactionId(), d.outcome().name(), d.riskScore(), d.reasons(),
                d.modelVersion(), d.degraded(), record.source().name(), record.transaction().timestamp(),
                d.decidedAt());
    }
}
