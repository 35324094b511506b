package dev.mlplatform.core.web;

import dev.mlplatform.core.events.TransactionValidator.FieldError;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of every service as {@code application/problem+json} (RFC 9457): type, title, status, detail,
 * instance, the request id, and for invalid input an {@code errors} array of {@code {field, message}}. A service's
 * {@code @RestControllerAdvice} extends this and adds a handler per exception of its own; Spring MVC's own errors
 * (415, 405, 406, unknown path…) and anything unexpected get the same shape here.
 */
public abstract class ProblemResponses extends ResponseEntityExceptionHandler {

    public static final String TYPE_BASE = "https://mlplatform.dev/problems/";
    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "an unexpected error occurred; the request id identifies it in the logs", request), null);
    }

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

    /** A problem of {@code type} (the last segment of its type URI). */
    protected static ProblemDetail problem(HttpStatus status, String type, String title, String detail,
                                           HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        problem.setInstance(URI.create(request.getRequestURI()));
        requestId().ifPresent(id -> problem.setProperty("requestId", id));
        return problem;
    }

    /** A problem that names each field that is wrong and why. */
    protected static ProblemDetail invalid(HttpStatus status, String type, String title, String detail,
                                           List<FieldError> errors, HttpServletRequest request) {
        ProblemDetail problem = problem(status, type, title, detail, request);
        problem.setProperty("errors", errors.stream()
                .map(error -> Map.of("field", error.field(), "message", error.message()))
                .toList());
        return problem;
    }

    /** The response; {@code retryAfter} (seconds) tells the client when to try again, when not null. */
    protected static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, String retryAfter) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (retryAfter != null) {
            builder.header(HttpHeaders.RETRY_AFTER, retryAfter);
        }
        return builder.body(problem);
    }

    private static Optional<String> requestId() {
        return Optional.ofNullable(MDC.get(RequestIdFilter.MDC_KEY));
    }

    private static String slug(HttpStatus status) {
        return status.getReasonPhrase().toLowerCase().replaceAll("[^a-z0-9]+", "-");
    }
}
