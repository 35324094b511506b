package dev.mlplatform.fraud.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * A confirmed fraud as analysts and chargeback feeds report it: the transaction alone, since its merchant
 * and time are in the stored decision. Any other field is refused, as on scoring.
 */
@Schema(description = "A confirmed fraud on an earlier transaction")
record LabelRequest(
        @Schema(example = "tx-000001", requiredMode = Schema.RequiredMode.REQUIRED) String transactionId,
        @Schema(example = "2026-12-03T09:00:00Z",
                description = "When the fraud became known (a chargeback, an analyst's finding); now when absent")
        Instant reportedAt) {
}
