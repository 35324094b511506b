package dev.mlplatform.gateway.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Turns every exception that reaches the top of the gateway into a problem+json answer (replacing Boot's default
 * error JSON): a downstream that is down becomes a 503 naming the service, never a stack trace.
 */
@Component
@Order(-2)
final class ProblemJsonErrorHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemJsonErrorHandler.class);

    private final ProblemResponses problems;

    ProblemJsonErrorHandler(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            // Headers (and perhaps part of a stream) are already out: nothing left to replace.
            return Mono.error(error);
        }
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        String upstream = route == null ? "The upstream service" : route.getId();
        Failure failure = Failure.of(error, upstream, exchange.getRequest().getPath().value());
        logFailure(exchange, failure, error);
        return problems.write(exchange, failure.status(), failure.typeSlug(), failure.detail());
    }

    /** This handler runs outside the request's Reactor context, so it puts the request id into the MDC itself. */
    private static void logFailure(ServerWebExchange exchange, Failure failure, Throwable error) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable(RequestIds.MDC_KEY, RequestIds.of(exchange))) {
            String request = exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value();
            if (failure.status().value() == 500) {
                log.error("{} failed: {}", request, failure.detail(), error);
            }
            else if (failure.status().is5xxServerError()) {
                log.warn("{} answered {}: {} ({})", request, failure.status().value(), failure.detail(), error.toString());
            }
            else if (log.isDebugEnabled()) {
                log.debug("{} answered {}: {}", request, failure.status().value(), failure.detail());
            }
        }
    }
}
