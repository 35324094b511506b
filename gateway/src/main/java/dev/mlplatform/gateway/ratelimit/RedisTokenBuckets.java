package dev.mlplatform.gateway.ratelimit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * One token bucket per client in Redis, run by Spring Cloud Gateway's own {@code request_rate_limiter.lua} (the
 * script behind its {@code RedisRateLimiter}) so that the check-and-take is one atomic round trip. Called directly
 * rather than through {@code RequestRateLimiter} because that filter answers with an empty body, no
 * {@code Retry-After}, one limit per route and always fails open.
 */
@Component
final class RedisTokenBuckets {

    private static final Logger log = LoggerFactory.getLogger(RedisTokenBuckets.class);

    private static final int REQUESTED_TOKENS = 1;

    private final ReactiveStringRedisTemplate redis;
    private final RedisScript<List<Long>> script;
    private final RateLimitProperties properties;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicBoolean redisFailing = new AtomicBoolean();

    RedisTokenBuckets(ReactiveStringRedisTemplate redis,
            @Qualifier("redisRequestRateLimiterScript") RedisScript<List<Long>> script, RateLimitProperties properties) {
        this.redis = redis;
        // Held as text: the gateway's bean reads the script from a jar entry and, to know whether its SHA1 is still
        // valid, opens that entry for its modification time on every call.
        DefaultRedisScript<List<Long>> loaded = new DefaultRedisScript<>(script.getScriptAsString());
        loaded.setResultType(script.getResultType());
        this.script = loaded;
        this.properties = properties;
    }

    /** Takes a token from the client's bucket; errors when Redis cannot answer. */
    Mono<Verdict> tryAcquire(String client) {
        Bucket bucket = buckets.computeIfAbsent(client, this::bucketOf);
        return redis.execute(script, bucket.keys(), bucket.scriptArguments())
                .flatMapIterable(Function.identity())
                .collectList()
                .map(result -> Verdict.of(result.get(0) == 1L, result.get(1), REQUESTED_TOKENS, bucket.replenishRate()))
                .doOnNext(verdict -> {
                    if (redisFailing.compareAndSet(true, false)) {
                        log.info("Redis answers again: rate limits are enforced");
                    }
                })
                .doOnError(error -> {
                    // Logged once per outage, not once per request.
                    if (redisFailing.compareAndSet(false, true)) {
                        log.warn("Redis is unavailable for rate limiting, requests are {} until it is back: {}",
                                properties.whenRedisUnavailable() == RateLimitProperties.WhenRedisUnavailable.ALLOW
                                        ? "allowed" : "denied", error.toString());
                    }
                });
    }

    RateLimitProperties.WhenRedisUnavailable whenRedisUnavailable() {
        return properties.whenRedisUnavailable();
    }

    /**
     * Both keys share the hash tag {@code {client}}, so a Redis Cluster keeps them in one slot, as the script needs.
     * The script's third argument (the time) is left empty so that it uses Redis's clock, not this host's.
     */
    private Bucket bucketOf(String client) {
        RateLimitProperties.Limit limit = properties.limitOf(client);
        String prefix = "gateway.rate_limit.{" + client + "}.";
        return new Bucket(List.of(prefix + "tokens", prefix + "timestamp"),
                List.of(String.valueOf(limit.replenishRate()), String.valueOf(limit.burstCapacity()), "",
                        String.valueOf(REQUESTED_TOKENS)),
                limit.replenishRate());
    }

    private record Bucket(List<String> keys, List<String> scriptArguments, int replenishRate) {
    }
}
