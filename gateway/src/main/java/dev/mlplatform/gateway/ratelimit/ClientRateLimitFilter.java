package dev.mlplatform.gateway.ratelimit;

import dev.mlplatform.gateway.auth.ApiClient;
import dev.mlplatform.gateway.web.ProblemResponses;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Applies the authenticated client's rate limit: 429 with {@code Retry-After} once its bucket is empty; while Redis
 * is down, allows or answers 503 as configured.
 */
@Component
final class ClientRateLimitFilter implements WebFilter, Ordered {

    static final String REMAINING_HEADER = "X-RateLimit-Remaining";

    private final RedisTokenBuckets buckets;
    private final ProblemResponses problems;

    ClientRateLimitFilter(RedisTokenBuckets buckets, ProblemResponses problems) {
        this.buckets = buckets;
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ApiClient client = ApiClient.of(exchange);
        if (client == null) {
            return chain.filter(exchange);
        }
        return buckets.tryAcquire(client.name())
                .map(verdict -> verdict.allowed() ? allow(exchange, chain, verdict) : limit(exchange, client, verdict))
                .onErrorResume(redisError -> Mono.just(redisUnavailable(exchange, chain)))
                .flatMap(answer -> answer);
    }

    private static Mono<Void> allow(ServerWebExchange exchange, WebFilterChain chain, Verdict verdict) {
        exchange.getResponse().getHeaders().set(REMAINING_HEADER, Long.toString(verdict.tokensLeft()));
        return chain.filter(exchange);
    }

    private Mono<Void> limit(ServerWebExchange exchange, ApiClient client, Verdict verdict) {
        return problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                "Client '" + client.name() + "' is over its rate limit; retry after " + verdict.retryAfterSeconds()
                        + " s.",
                headers -> {
                    headers.set(HttpHeaders.RETRY_AFTER, Long.toString(verdict.retryAfterSeconds()));
                    headers.set(REMAINING_HEADER, "0");
                });
    }

    private Mono<Void> redisUnavailable(ServerWebExchange exchange, WebFilterChain chain) {
        if (buckets.whenRedisUnavailable() == RateLimitProperties.WhenRedisUnavailable.ALLOW) {
            return chain.filter(exchange);
        }
        return problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "rate-limiter-unavailable",
                "The rate limiter cannot reach its store, and this gateway is configured to refuse requests then;"
                        + " try again shortly.",
                headers -> headers.set(HttpHeaders.RETRY_AFTER, "1"));
    }

    @Override
    public int getOrder() {
        // After the API key filter (HIGHEST_PRECEDENCE + 10), which identifies the client.
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }
}
