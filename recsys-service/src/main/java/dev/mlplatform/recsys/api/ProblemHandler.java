package dev.mlplatform.recsys.api;

import dev.mlplatform.core.events.BrokerAcknowledgement.NotAcknowledgedException;
import dev.mlplatform.core.events.TransactionValidator.FieldError;
import dev.mlplatform.core.web.ProblemResponses;
import dev.mlplatform.recsys.intake.EventIdConflictException;
import dev.mlplatform.recsys.intake.InvalidRequestException;
import io.lettuce.core.RedisException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The recommendation service's errors, each as {@code application/problem+json} in the platform's shape. */
@RestControllerAdvice
class ProblemHandler extends ProblemResponses {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalidRequest(InvalidRequestException e, HttpServletRequest request) {
        return respond(invalid(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage(),
                e.errors(), request), null);
    }

    @ExceptionHandler(EventIdConflictException.class)
    ResponseEntity<ProblemDetail> conflict(EventIdConflictException e, HttpServletRequest request) {
        return respond(invalid(HttpStatus.CONFLICT, "event-id-conflict", "Event id already used", e.getMessage(),
                List.of(new FieldError("eventId", "was already accepted with different content")), request), null);
    }

    @ExceptionHandler(ItemNotFoundException.class)
    ResponseEntity<ProblemDetail> itemNotFound(ItemNotFoundException e, HttpServletRequest request) {
        return respond(problem(HttpStatus.NOT_FOUND, "item-not-found", "Item not found", e.getMessage(), request),
                null);
    }

    @ExceptionHandler(ExperimentNotFoundException.class)
    ResponseEntity<ProblemDetail> experimentNotFound(ExperimentNotFoundException e, HttpServletRequest request) {
        return respond(problem(HttpStatus.NOT_FOUND, "experiment-not-found", "Experiment not found", e.getMessage(),
                request), null);
    }

    @ExceptionHandler(NotAcknowledgedException.class)
    ResponseEntity<ProblemDetail> notAcknowledged(NotAcknowledgedException e, HttpServletRequest request) {
        log.warn("event not acknowledged: {}", e.getMessage());
        return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, "not-acknowledged", "Not acknowledged",
                "Kafka did not acknowledge the event in time, so it may not be published; send it again", request),
                "5");
    }

    @ExceptionHandler(RedisException.class)
    ResponseEntity<ProblemDetail> redisUnavailable(RedisException e, HttpServletRequest request) {
        log.warn("redis unavailable: {}", e.toString());
        return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", "Store unavailable",
                "the online store did not answer; nothing was recorded, send it again", request), "2");
    }
}
