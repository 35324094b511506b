package dev.mlplatform.gateway.web;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * One log line per request (method, path, status, time to the response headers), written when the response is
 * committed so that answers produced by the error handler are logged too. Enabled by
 * {@code platform.gateway.request.access-log=true}.
 */
@Component
@ConditionalOnBooleanProperty("platform.gateway.request.access-log")
final class AccessLogFilter implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger("dev.mlplatform.gateway.access");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long started = System.nanoTime();
        exchange.getResponse().beforeCommit(() -> {
            logRequest(exchange, System.nanoTime() - started);
            return Mono.empty();
        });
        return chain.filter(exchange);
    }

    /** Commit can happen outside the request's Reactor context, so the MDC is set here explicitly. */
    private static void logRequest(ServerWebExchange exchange, long nanos) {
        ServerHttpRequest request = exchange.getRequest();
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        int code = status == null ? 200 : status.value();
        try (MDC.MDCCloseable ignored = MDC.putCloseable(RequestIds.MDC_KEY, RequestIds.of(exchange))) {
            log.atInfo()
                    .addKeyValue("http.request.method", request.getMethod().name())
                    .addKeyValue("url.path", request.getPath().value())
                    .addKeyValue("http.response.status_code", code)
                    .addKeyValue("event.duration", nanos)
                    .log("{} {} {} {} ms", request.getMethod().name(), request.getPath().value(), code,
                            TimeUnit.NANOSECONDS.toMillis(nanos));
        }
    }

    @Override
    public int getOrder() {
        return RequestIdFilter.ORDER + 1;
    }
}
