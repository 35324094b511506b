package dev.mlplatform.fraud.api;

import dev.mlplatform.core.events.BrokerAcknowledgement.NotAcknowledgedException;
import dev.mlplatform.core.events.TransactionValidator.FieldError;
import dev.mlplatform.core.web.ProblemResponses;
import dev.mlplatform.fraud.decision.CustomerErasure;
import dev.mlplatform.fraud.decision.JdbcDecisionStore.DecisionStoreException;
import dev.mlplatform.fraud.scoring.InvalidTransactionException;
import dev.mlplatform.fraud.scoring.ModelUnavailableException;
import dev.mlplatform.fraud.training.TrainingRuns;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The fraud service's errors, each as {@code application/problem+json} in the platform's shape. */
@RestControllerAdvice
class ProblemHandler extends ProblemResponses {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(InvalidTransactionException.class)
    ResponseEntity<ProblemDetail> invalidTransaction(InvalidTransactionException e, HttpServletRequest request) {
        return respond(invalid(HttpStatus.BAD_REQUEST, "invalid-transaction", "Invalid transaction", e.getMessage(),
                e.errors(), request), null);
    }

    @ExceptionHandler(InvalidLabelException.class)
    ResponseEntity<ProblemDetail> invalidLabel(InvalidLabelException e, HttpServletRequest request) {
        return respond(invalid(HttpStatus.BAD_REQUEST, "invalid-label", "Invalid fraud label", e.getMessage(),
                e.errors(), request), null);
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(PayloadTooLargeException e, HttpServletRequest request) {
        return respond(invalid(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Request body too large",
                e.getMessage(), List.of(new FieldError("body", e.getMessage())), request), null);
    }

    @ExceptionHandler(TransactionIdConflictException.class)
    ResponseEntity<ProblemDetail> conflict(TransactionIdConflictException e, HttpServletRequest request) {
        return respond(invalid(HttpStatus.CONFLICT, "transaction-id-conflict", "Transaction id already used",
                e.getMessage(), List.of(new FieldError("transactionId", "was already decided for different content")),
                request), null);
    }

    @ExceptionHandler(DecisionNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(DecisionNotFoundException e, HttpServletRequest request) {
        return respond(problem(HttpStatus.NOT_FOUND, "decision-not-found", "Decision not found", e.getMessage(),
                request), null);
    }

    @ExceptionHandler(InvalidCustomerIdException.class)
    ResponseEntity<ProblemDetail> invalidCustomerId(InvalidCustomerIdException e, HttpServletRequest request) {
        return respond(invalid(HttpStatus.BAD_REQUEST, "invalid-customer-id", "Invalid customer id",
                e.getMessage(), List.of(new FieldError("customerId", e.getMessage())), request), null);
    }

    @ExceptionHandler(CustomerErasure.FeatureErasureException.class)
    ResponseEntity<ProblemDetail> erasureIncomplete(CustomerErasure.FeatureErasureException e,
                                                    HttpServletRequest request) {
        log.error("customer erasure incomplete: {}", e.getMessage());
        return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, "erasure-incomplete", "Erasure incomplete",
                e.getMessage(), request), "5");
    }

    @ExceptionHandler(RolloutRequestException.class)
    ResponseEntity<ProblemDetail> rollout(RolloutRequestException e, HttpServletRequest request) {
        return respond(invalid(e.status(), e.type(), e.title(), e.getMessage(), e.errors(), request), null);
    }

    @ExceptionHandler(ModelUnavailableException.class)
    ResponseEntity<ProblemDetail> modelUnavailable(ModelUnavailableException e, HttpServletRequest request) {
        return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, "model-unavailable", "No model loaded yet",
                e.getMessage(), request), "5");
    }

    @ExceptionHandler(DecisionStoreException.class)
    ResponseEntity<ProblemDetail> storeUnavailable(DecisionStoreException e, HttpServletRequest request) {
        log.error("decision store unavailable: {}", e.getMessage());
        return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", "Decision store unavailable",
                "the decision could not be stored; nothing was recorded, retry later", request), "2");
    }

    @ExceptionHandler(NotAcknowledgedException.class)
    ResponseEntity<ProblemDetail> labelNotAcknowledged(NotAcknowledgedException e, HttpServletRequest request) {
        log.warn("fraud label not acknowledged: {}", e.getMessage());
        return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, "label-not-acknowledged", "Label not acknowledged",
                "Kafka did not acknowledge the label in time, so it may not be published; report it again", request),
                "5");
    }

    @ExceptionHandler(TrainingRuns.InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalidTrainingRun(TrainingRuns.InvalidRequestException e,
                                                     HttpServletRequest request) {
        return respond(invalid(HttpStatus.BAD_REQUEST, "invalid-training-run", "Invalid training run",
                e.getMessage(), e.errors(), request), null);
    }

    @ExceptionHandler(TrainingRuns.BusyException.class)
    ResponseEntity<ProblemDetail> trainingBusy(TrainingRuns.BusyException e, HttpServletRequest request) {
        return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, "training-busy", "Training busy", e.getMessage(),
                request), "30");
    }

    @ExceptionHandler(TrainingRunNotFoundException.class)
    ResponseEntity<ProblemDetail> trainingRunNotFound(TrainingRunNotFoundException e, HttpServletRequest request) {
        return respond(problem(HttpStatus.NOT_FOUND, "training-run-not-found", "Training run not found",
                e.getMessage(), request), null);
    }
}
