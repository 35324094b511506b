package dev.mlplatform.gateway.ratelimit;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-client token buckets kept in Redis.
 *
 * @param replenishRate        tokens (requests) per second a client gets back, unless it has its own limit
 * @param burstCapacity        the bucket size: how many requests a client may send at once
 * @param whenRedisUnavailable {@code allow} keeps serving without limits while Redis is down (availability
 *                             first), {@code deny} answers 503 instead
 * @param clients              limits of single clients by name, overriding either default
 */
@ConfigurationProperties("platform.gateway.rate-limit")
record RateLimitProperties(@DefaultValue("5000") int replenishRate, @DefaultValue("10000") int burstCapacity,
        @DefaultValue("allow") WhenRedisUnavailable whenRedisUnavailable, Map<String, Limit> clients) {

    RateLimitProperties {
        clients = clients == null ? Map.of() : Map.copyOf(clients);
        check("the default", replenishRate, burstCapacity);
        for (Map.Entry<String, Limit> client : clients.entrySet()) {
            Limit limit = resolve(client.getValue(), replenishRate, burstCapacity);
            check("client '" + client.getKey() + "'", limit.replenishRate(), limit.burstCapacity());
        }
    }

    enum WhenRedisUnavailable {
        ALLOW, DENY
    }

    /** A client's own limit; an unset value falls back to the default. */
    record Limit(@Nullable Integer replenishRate, @Nullable Integer burstCapacity) {
    }

    /** The effective limit of a client, both values set. */
    Limit limitOf(String client) {
        return resolve(clients.get(client), replenishRate, burstCapacity);
    }

    private static Limit resolve(@Nullable Limit own, int replenishRate, int burstCapacity) {
        if (own == null) {
            return new Limit(replenishRate, burstCapacity);
        }
        return new Limit(own.replenishRate() == null ? replenishRate : own.replenishRate(),
                own.burstCapacity() == null ? burstCapacity : own.burstCapacity());
    }

    /** The gateway's Lua token bucket keeps its state for 2 × burst / rate seconds: below one second it keeps none. */
    private static void check(String whose, int replenishRate, int burstCapacity) {
        if (replenishRate < 1) {
            throw new IllegalStateException("The rate limit of " + whose + ": replenish-rate must be at least 1.");
        }
        if (burstCapacity < replenishRate) {
            throw new IllegalStateException("The rate limit of " + whose + ": burst-capacity (" + burstCapacity
                    + ") must be at least replenish-rate (" + replenishRate + ").");
        }
    }
}
