package dev.mlplatform.gateway.web;

import java.net.ConnectException;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.server.ResponseStatusException;
import reactor.netty.http.client.PrematureCloseException;

/** What an exception means for the client: the status, the problem type and a sentence naming the cause. */
record Failure(HttpStatus status, String typeSlug, String detail) {

    /**
     * @param upstream the route the request was on (names the service in the detail), or a generic phrase
     * @param path     the request path, for 404s
     */
    static Failure of(Throwable error, String upstream, String path) {
        if (error instanceof ResponseStatusException statusException) {
            HttpStatus status = HttpStatus.resolve(statusException.getStatusCode().value());
            return forStatus(status == null ? HttpStatus.INTERNAL_SERVER_ERROR : status, statusException.getReason(),
                    upstream, path);
        }
        ResponseStatus annotated = AnnotatedElementUtils.findMergedAnnotation(error.getClass(), ResponseStatus.class);
        if (annotated != null) {
            return forStatus(annotated.code(), annotated.reason(), upstream, path);
        }
        if (causedBy(error, ConnectException.class)) {
            return new Failure(HttpStatus.SERVICE_UNAVAILABLE, "upstream-unavailable",
                    upstream + " is not reachable; try again later.");
        }
        if (causedBy(error, PrematureCloseException.class)) {
            return new Failure(HttpStatus.BAD_GATEWAY, "bad-gateway",
                    upstream + " closed the connection before it answered.");
        }
        return new Failure(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "The gateway failed to process the request; quote the request id when you report it.");
    }

    private static Failure forStatus(HttpStatus status, String reason, String upstream, String path) {
        return switch (status) {
            case NOT_FOUND -> new Failure(status, "not-found", "No route matches " + path + ".");
            case CONTENT_TOO_LARGE -> new Failure(status, "request-too-large", orDefault(reason, status));
            case SERVICE_UNAVAILABLE -> new Failure(status, "upstream-unavailable",
                    upstream + " is unavailable (circuit open or failing); try again later.");
            case GATEWAY_TIMEOUT -> new Failure(status, "upstream-timeout",
                    upstream + " did not answer within the route's response timeout.");
            default -> new Failure(status, slugOf(status), orDefault(reason, status));
        };
    }

    private static String orDefault(String reason, HttpStatus status) {
        return reason == null || reason.isBlank() ? status.getReasonPhrase() + "." : reason;
    }

    private static String slugOf(HttpStatus status) {
        return status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
