package dev.mlplatform.fraud.api;

import dev.mlplatform.fraud.decision.CustomerErasure;
import dev.mlplatform.fraud.decision.JdbcDecisionStore.DecisionStoreException;
import dev.mlplatform.fraud.scoring.InvalidTransactionException;
import dev.mlplatform.fraud.scoring.ModelUnavailableException;
import dev.mlplatform.fraud.stream.KafkaLabelPublisher.LabelNotAcknowledgedException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as {@code application/problem+json} (RFC 9457): type, title, status, detail, instance,
 * the request id, and for invalid input an {@code errors} array of {@code {field, message}}.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    static final String TYPE_BASE = "https://mlplatform.dev/problems/";
    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(InvalidTransactionException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidTransactionException e, HttpServletRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-transaction", "Invalid transaction",
                e.getMessage(), request);
        problem.setProperty("errors", e.errors().stream()
                .map(error -> Map.of("field", error.field(), "message", error.message()))
                .toList());
        return respond(problem, null);
    }

    @ExceptionHandler(InvalidLabelException.class)
    ResponseEntity<ProblemDetail> invalidLabel(InvalidLabelException e, HttpServletRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-label", "Invalid fraud label",
                e.getMessage(), request);
        problem.setProperty("errors", e.errors().stream()
                .map(error -> Map.of("field", error.field(), "message", error.message()))
                .toList());
        return respond(problem, null);
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(PayloadTooLargeException e, HttpServletRequest request) {
        ProblemDetail problem = problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Request body too large",
                e.getMessage(), request);
        problem.setProperty("errors", List.of(Map.of("field", "body", "message", e.getMessage())));
        return respond(problem, null);
    }

    @ExceptionHandler(TransactionIdConflictException.class)
    ResponseEntity<ProblemDetail> conflict(TransactionIdConflictException e, HttpServletRequest request) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "transaction-id-conflict", "Transaction id already used",
                e.getMessage(), request);
        problem.setProperty("errors", List.of(Map.of("field", "transactionId", "message",
                "was already decided for different content")));
        return respond(problem, null);
    }

    @ExceptionHandler(DecisionNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(DecisionNotFoundException e, HttpServletRequest request) {
        return respond(problem(HttpStatus.NOT_FOUND, "decision-not-found", "Decision not found", e.getMessage(),
                request), null);
    }

    @ExceptionHandler(InvalidCustomerIdException.class)
    ResponseEntity<ProblemDetail> invalidCustomerId(InvalidCustomerIdException e, HttpServletRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-customer-id", "Invalid customer id",
                e.getMessage(), request);
        problem.setProperty("errors", List.of(Map.of("field", "customerId", "message", e.getMessage())));
        return respond(problem, null);
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
        ProblemDetail problem = problem(e.status(), e.type(), e.title(), e.getMessage(), request);
        problem.setProperty("errors", e.errors().stream()
                .map(error -> Map.of("field", error.field(), "message", error.message()))
                .toList());
        return respond(problem, null);
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

    @ExceptionHandler(LabelNotAcknowledgedException.class)
    ResponseEntity<ProblemDetail> labelNotAcknowledged(LabelNotAcknowledgedException e, HttpServletRequest request) {
        log.warn("fraud label not acknowledged: {}", e.getMessage());
        return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, "label-not-acknowledged", "Label not acknowledged",
                "Kafka did not acknowledge the label in time, so it may not be published; report it again", request),
                "5");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "an unexpected error occurred; the request id identifies it in the logs", request), null);
    }

    /** Spring MVC's own errors (415, 405, 406, unknown path…) get the same shape. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem
                && request instanceof ServletWebRequest servlet) {
            HttpStatus status = HttpStatus.resolve(problem.getStatus());
            if (status != null) {
                problem.setType(URI.create(TYPE_BASE + slug(status)));
            }
            problem.setInstance(URI.create(servlet.getRequest().getRequestURI()));
            requestId().ifPresent(id -> problem.setProperty("requestId", id));
            HttpHeaders out = new HttpHeaders();
            out.putAll(response.getHeaders());
            out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            return new ResponseEntity<>(problem, out, response.getStatusCode());
        }
        return response;
    }

    private static ProblemDetail problem(HttpStatus status, String type, String title, String detail,
                                         HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        problem.setInstance(URI.create(request.getRequestURI()));
        requestId().ifPresent(id -> problem.setProperty("requestId", id));
        return problem;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, String retryAfter) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (retryAfter != null) {
            builder.header(HttpHeaders.RETRY_AFTER, retryAfter);
        }
        return builder.body(problem);
    }

    private static java.util.Optional<String> requestId() {
        return java.util.Optional.ofNullable(MDC.get(RequestIdFilter.MDC_KEY));
    }

    private static String slug(HttpStatus status) {
        return status.getReasonPhrase().toLowerCase().replaceAll("[^a-z0-9]+", "-");
    }
}
