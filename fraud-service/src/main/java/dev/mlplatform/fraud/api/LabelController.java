package dev.mlplatform.fraud.api;

import dev.mlplatform.core.events.FraudLabel;
import dev.mlplatform.core.events.JsonInput;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.core.events.TransactionValidator.FieldError;
import dev.mlplatform.core.events.TransactionValidator;
import dev.mlplatform.fraud.decision.DecisionStore;
import dev.mlplatform.fraud.stream.KafkaLabelPublisher;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Confirmed frauds reported after the fact (chargebacks, disputes, analysts' findings), published as
 * {@link FraudLabel}s for the feature job's merchant risk. A report names only the transaction: its
 * merchant and time come from the stored decision, so that a label cannot disagree with what was
 * scored, and only a transaction this service decided can be labelled.
 *
 * <p>Reporting the same transaction twice publishes twice: the consumer keeps one label per
 * transaction id, which also makes a retry after a 503 safe.
 */
@RestController
@RequestMapping(path = "/api/fraud/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class LabelController {

    private final DecisionStore decisions;
    private final KafkaLabelPublisher labels;
    private final Clock clock;

    LabelController(DecisionStore decisions, KafkaLabelPublisher labels, Clock clock) {
        this.decisions = decisions;
        this.labels = labels;
        this.clock = clock;
    }

    @Operation(summary = "Report a confirmed fraud",
            description = "Takes the merchant and time of the transaction from its stored decision, publishes the "
                    + "label on fraud.labels.v1 keyed by merchant id, and answers once the broker acknowledged it. "
                    + "Reporting a transaction again publishes it again; consumers keep one label per transactionId.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = LabelRequest.class))))
    @ApiResponse(responseCode = "202", description = "The label, on the topic",
            content = @Content(schema = @Schema(implementation = FraudLabel.class)))
    @ApiResponse(responseCode = "400", description = "Malformed report, malformed transactionId, or a reportedAt "
            + "before the transaction or in the future; errors name each field",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "404", description = "No decision for this transaction id",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "503", description = "Kafka did not acknowledge the label in time; report it again",
            headers = @Header(name = "Retry-After", description = "Seconds to wait before reporting again"),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @PostMapping(path = "/labels", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<FraudLabel> report(@RequestBody(required = false) byte[] body) {
        LabelRequest request = read(body);
        String transactionId = request.transactionId();
        // Checked before the lookup: a malformed id is the client's mistake (400), not an unknown transaction (404).
        if (transactionId == null || transactionId.isEmpty()) {
            throw new InvalidLabelException(List.of(new FieldError("transactionId", "is required")));
        }
        if (!TransactionValidator.validId(transactionId)) {
            throw new InvalidLabelException(List.of(new FieldError("transactionId", TransactionValidator.ID_RULE)));
        }
        TransactionEvent paid = decisions.find(transactionId)
                .orElseThrow(() -> new DecisionNotFoundException(transactionId)).transaction();
        Instant now = clock.instant();
        FraudLabel label = new FraudLabel(transactionId, paid.merchantId(), paid.timestamp(),
                request.reportedAt() == null ? now : request.reportedAt());
        List<FieldError> errors = FraudLabel.validate(label, now);
        if (!errors.isEmpty()) {
            throw new InvalidLabelException(errors);
        }
        labels.publish(label);
        return ResponseEntity.accepted().body(label);
    }

    private static LabelRequest read(byte[] body) {
        return JsonInput.read(body, LabelRequest.class, InvalidLabelException::new);
    }
}
