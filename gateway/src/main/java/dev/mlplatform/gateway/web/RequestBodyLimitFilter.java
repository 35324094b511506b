package dev.mlplatform.gateway.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.cloud.gateway.event.RefreshRoutesEvent;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Enforces each route's body limit (route metadata {@code max-body-size}, e.g. {@code 1MB}) with a 413 problem:
 * up front from {@code Content-Length}, and while streaming for chunked bodies, without buffering either.
 */
@Component
final class RequestBodyLimitFilter implements GlobalFilter, Ordered {

    static final String METADATA_KEY = "max-body-size";

    private final long defaultLimit;
    private final ProblemResponses problems;
    /** Parsed once per route rather than on every request; emptied when routes are refreshed. */
    private final Map<String, Long> limitsByRoute = new ConcurrentHashMap<>();

    RequestBodyLimitFilter(RequestProperties properties, ProblemResponses problems) {
        this.defaultLimit = properties.maxBodySize().toBytes();
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        String routeId = route == null ? "this route" : route.getId();
        long limit = route == null ? defaultLimit : limitsByRoute.computeIfAbsent(route.getId(), id -> limitOf(route));
        ServerHttpRequest request = exchange.getRequest();
        long declared = request.getHeaders().getContentLength();
        if (declared > limit) {
            return problems.write(exchange, HttpStatus.CONTENT_TOO_LARGE, "request-too-large",
                    tooLarge(routeId, declared + " bytes", limit));
        }
        if (declared < 0 && request.getHeaders().getFirst(HttpHeaders.TRANSFER_ENCODING) != null) {
            ServerHttpRequest limited = new SizeLimitedRequest(request, limit, tooLarge(routeId, "more", limit));
            return chain.filter(exchange.mutate().request(limited).build());
        }
        return chain.filter(exchange);
    }

    @EventListener(RefreshRoutesEvent.class)
    void forgetLimits() {
        limitsByRoute.clear();
    }

    private long limitOf(Route route) {
        Object declared = route.getMetadata().get(METADATA_KEY);
        if (declared == null) {
            return defaultLimit;
        }
        return declared instanceof Number bytes ? bytes.longValue() : DataSize.parse(declared.toString()).toBytes();
    }

    private static String tooLarge(String routeId, String size, long limit) {
        return "The request body has " + size + "; " + routeId + " accepts at most " + limit + " bytes.";
    }

    @Override
    public int getOrder() {
        // Ahead of routing and of the response writer (-1): nothing has gone downstream yet.
        return -10;
    }

    /** Counts a chunked body as it streams through and fails it, with a 413, once it passes the limit. */
    private static final class SizeLimitedRequest extends ServerHttpRequestDecorator {

        private final long limit;
        private final String detail;

        SizeLimitedRequest(ServerHttpRequest delegate, long limit, String detail) {
            super(delegate);
            this.limit = limit;
            this.detail = detail;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            Flux<DataBuffer> body = getDelegate().getBody();
            return Flux.defer(() -> {
                long[] seen = {0};
                return body.map(buffer -> {
                    seen[0] += buffer.readableByteCount();
                    if (seen[0] > limit) {
                        DataBufferUtils.release(buffer);
                        throw new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE, detail);
                    }
                    return buffer;
                });
            });
        }
    }
}
