package dev.mlplatform.gateway.ratelimit;

/**
 * What the token bucket said about one request.
 *
 * @param tokensLeft        tokens left in the bucket after this request
 * @param retryAfterSeconds when a limited client will have a token again (0 when allowed)
 */
record Verdict(boolean allowed, long tokensLeft, long retryAfterSeconds) {

    /**
     * The bucket refills {@code replenishRate} tokens per second, counted in whole seconds of Redis time, so a
     * limited client waits at least one second.
     */
    static Verdict of(boolean allowed, long tokensLeft, int requested, int replenishRate) {
        if (allowed) {
            return new Verdict(true, tokensLeft, 0);
        }
        long missing = Math.max(1, requested - tokensLeft);
        long seconds = (missing + replenishRate - 1) / replenishRate;
        return new Verdict(false, tokensLeft, Math.max(1, seconds));
    }
}
