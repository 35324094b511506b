package dev.mlplatform.fraud.api;

import dev.mlplatform.core.events.JsonInput;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.core.events.TransactionValidator.FieldError;
import dev.mlplatform.fraud.config.FraudProperties;
import dev.mlplatform.fraud.decision.DecisionStore;
import dev.mlplatform.fraud.scoring.FraudPipeline;
import dev.mlplatform.fraud.scoring.InvalidTransactionException;
import dev.mlplatform.fraud.scoring.TransactionIntake;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Synchronous scoring and decision lookup; the gateway forwards {@code /api/fraud/**} unchanged. */
@RestController
@RequestMapping("/api/fraud/v1")
class ScoringController {

    private final TransactionIntake intake;
    private final FraudPipeline pipeline;
    private final DecisionStore decisions;
    private final long maxBodyBytes;

    ScoringController(TransactionIntake intake, FraudPipeline pipeline, DecisionStore decisions,
                      FraudProperties properties) {
        this.intake = intake;
        this.pipeline = pipeline;
        this.decisions = decisions;
        this.maxBodyBytes = properties.api().maxBodySize().toBytes();
    }

    @Operation(summary = "Score a transaction",
            description = "Validates, tokenises the card number, scores and decides the transaction, stores the "
                    + "decision once per transactionId (a replay returns the stored decision) and publishes it.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = ScoreRequest.class))))
    @ApiResponse(responseCode = "200", description = "The decision",
            content = @Content(schema = @Schema(implementation = ScoreResponse.class)))
    @ApiResponse(responseCode = "400", description = "Malformed or invalid transaction; errors name each field",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "409", description = "The transactionId was decided for other content",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "413", description = "Body over the size limit",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "503", description = "No model loaded yet, or the decision store is unreachable",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @PostMapping(path = "/score", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ScoreResponse score(HttpServletRequest request) throws IOException {
        ScoreRequest body = JsonInput.read(readBounded(request), ScoreRequest.class, InvalidTransactionException::new);
        List<FieldError> errors = new ArrayList<>(body.shapeErrors());
        TransactionEvent transaction = null;
        try {
            transaction = intake.accept(body.toEvent());
        } catch (InvalidTransactionException e) {
            errors.addAll(e.errors());
        }
        if (!errors.isEmpty()) {
            throw new InvalidTransactionException(errors);
        }
        FraudPipeline.Result result = pipeline.decide(transaction);
        if (result.conflict()) {
            throw new TransactionIdConflictException(transaction.transactionId());
        }
        return ScoreResponse.of(result.record().decision());
    }

    @Operation(summary = "The stored decision on a transaction")
    @ApiResponse(responseCode = "200", description = "The decision",
            content = @Content(schema = @Schema(implementation = DecisionResponse.class)))
    @ApiResponse(responseCode = "404", description = "No decision for this transaction id",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @GetMapping(path = "/decisions/{transactionId}", produces = MediaType.APPLICATION_JSON_VALUE)
    DecisionResponse decision(@PathVariable String transactionId) {
        return decisions.find(transactionId).map(DecisionResponse::of)
                .orElseThrow(() -> new DecisionNotFoundException(transactionId));
    }

    /** The body, refused with 413 past the limit without reading more than the limit. */
    private byte[] readBounded(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > maxBodyBytes) {
            throw new PayloadTooLargeException(maxBodyBytes);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (body.length > maxBodyBytes) {
                throw new PayloadTooLargeException(maxBodyBytes);
            }
            return body;
        }
    }
}
