package dev.mlplatform.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 *
 * <p>A round trip per request was a third of the gateway's CPU, so a busy client's tokens are <i>leased</i>:
 * one call takes a batch ({@link #leaseSize}, a twentieth of the client's rate per second, at most
 * {@value #MAX_LEASE}) and the next requests of that client on this instance spend it locally, for at most
 * {@link #LEASE_TTL}. When the bucket holds fewer than a batch, a single token is asked for, so a client is
 * limited exactly at the edge; what a lease can add is at most a batch per instance per second (5 % of the
 * rate), and a client with a rate under 40 per second is never leased more than one token.
 */
@Component
final class RedisTokenBuckets {

    private static final Logger log = LoggerFactory.getLogger(RedisTokenBuckets.class);

    static final int MAX_LEASE = 100;
    static final Duration LEASE_TTL = Duration.ofSeconds(1);

    private final ReactiveStringRedisTemplate redis;
    private final RedisScript<List<Long>> script;
    private final RateLimitProperties properties;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
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

    /** Takes a token, from this instance's lease or else the client's bucket; errors when Redis cannot answer. */
    Mono<Verdict> tryAcquire(String client) {
        Lease lease = leases.get(client);
        if (lease != null && System.nanoTime() < lease.expiresAtNanos()) {
            int left = lease.tokens().decrementAndGet();
            if (left >= 0) {
                return Mono.just(new Verdict(true, lease.tokensLeftInRedis() + left, 0));
            }
        }
        Bucket bucket = buckets.computeIfAbsent(client, this::bucketOf);
        int batch = bucket.leaseSize();
        return take(bucket, batch).flatMap(verdict -> {
            if (verdict.allowed()) {
                if (batch > 1) {
                    leases.put(client, new Lease(new AtomicInteger(batch - 1),
                            System.nanoTime() + LEASE_TTL.toNanos(), verdict.tokensLeft()));
                }
                return Mono.just(new Verdict(true, verdict.tokensLeft() + batch - 1, 0));
            }
            // Fewer than a batch left: the last tokens one by one.
            return batch > 1 ? take(bucket, 1) : Mono.just(verdict);
        });
    }

    /** How many tokens one call takes for a client refilled at {@code replenishRate} per second. */
    static int leaseSize(int replenishRate) {
        return Math.max(1, Math.min(MAX_LEASE, replenishRate / 20));
    }

    private Mono<Verdict> take(Bucket bucket, int tokens) {
        return redis.execute(script, bucket.keys(), bucket.scriptArguments(tokens))
                .flatMapIterable(Function.identity())
                .collectList()
                .map(result -> Verdict.of(result.get(0) == 1L, result.get(1), tokens, bucket.replenishRate()))
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
        return new Bucket(List.of(prefix + "tokens", prefix + "timestamp"), limit.replenishRate(),
                limit.burstCapacity());
    }

    private record Bucket(List<String> keys, int replenishRate, int burstCapacity) {

        List<String> scriptArguments(int requested) {
            return List.of(String.valueOf(replenishRate), String.valueOf(burstCapacity), "", String.valueOf(requested));
        }

        int leaseSize() {
            return RedisTokenBuckets.leaseSize(replenishRate);
        }
    }

    /** Tokens taken ahead from Redis for one client on this instance, until {@code expiresAtNanos}. */
    private record Lease(AtomicInteger tokens, long expiresAtNanos, long tokensLeftInRedis) {
    }
}
