package dev.mlplatform.gateway.auth;

import dev.mlplatform.gateway.web.ProblemResponses;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Lets a request through only with a valid {@code X-API-Key}. Everything but the health, info and Prometheus
 * endpoints needs one (so unknown paths reveal nothing either). The key is not forwarded: services learn the caller
 * from {@code X-Client-Id}, which clients cannot set themselves.
 */
@Component
final class ApiKeyAuthenticationFilter implements WebFilter, Ordered {

    static final String API_KEY_HEADER = "X-API-Key";
    static final String CLIENT_ID_HEADER = "X-Client-Id";

    /** Order among the web filters: right after the request id, before the rate limit. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private final ApiClients clients;
    private final ProblemResponses problems;

    ApiKeyAuthenticationFilter(ApiClients clients, ProblemResponses problems) {
        this.clients = clients;
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (isOpen(request.getPath().pathWithinApplication().value())) {
            return chain.filter(exchange);
        }
        String key = request.getHeaders().getFirst(API_KEY_HEADER);
        if (key == null || key.isBlank()) {
            return unauthorized(exchange, "missing-api-key",
                    "The request has no X-API-Key header; every /api call needs one.");
        }
        ApiClient client = clients.authenticate(key);
        if (client == null) {
            return unauthorized(exchange, "invalid-api-key", "The X-API-Key header does not hold a valid key.");
        }
        client.attachTo(exchange);
        ServerHttpRequest forwarded = request.mutate().headers(headers -> {
            headers.remove(API_KEY_HEADER);
            headers.set(CLIENT_ID_HEADER, client.name());
        }).build();
        return chain.filter(exchange.mutate().request(forwarded).build());
    }

    static boolean isOpen(String path) {
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/")
                || path.equals("/actuator/prometheus") || path.equals("/actuator/info");
    }

    private Mono<Void> unauthorized(ServerWebExchange exchange, String typeSlug, String detail) {
        return problems.write(exchange, HttpStatus.UNAUTHORIZED, typeSlug, detail,
                headers -> headers.set(HttpHeaders.WWW_AUTHENTICATE, "ApiKey header=\"" + API_KEY_HEADER + "\""));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
