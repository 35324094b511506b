package dev.mlplatform.recsys.feedback;

import dev.mlplatform.core.events.InteractionEvent;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Open impressions in Redis, shared by every instance: a hash per impression, the user's latest impression, and a
 * sorted set of impressions by the time they were shown. Interactions are attributed to the user's latest open
 * impression; when its window has passed, exactly one instance closes it (the one whose ZREM removes it) and
 * records its outcome — clicked or not, seconds watched — as one unit of its experiment arm.
 */
public final class ImpressionLog {

    static final String OPEN = "recs:impressions:open";
    private static final int CLOSE_BATCH = 500;

    private final RedisCommands<String, String> redis;
    private final RedisAsyncCommands<String, String> async;
    private final Duration window;

    /** @param window how long after being shown an interaction still counts as the list's click */
    public ImpressionLog(StatefulRedisConnection<String, String> connection, Duration window) {
        this.redis = connection.sync();
        this.async = connection.async();
        this.window = window;
    }

    /**
     * Records without waiting: the response does not wait for bookkeeping, and a lost impression only loses one
     * unit of an experiment's sample (the connection's own error handling logs it).
     */
    public void record(Impression impression) {
        String key = key(impression.id());
        async.hset(key, Map.of(
                "user", impression.userId(),
                "experiment", impression.experiment() == null ? "" : impression.experiment(),
                "arm", impression.arm() == null ? "" : impression.arm(),
                "items", String.join(",", impression.items()),
                "explored", String.join(",", impression.explored()),
                "clicked", "0",
                "watch", "0"));
        // Kept past the window so that a closer that runs late still finds it.
        async.pexpire(key, window.multipliedBy(4).toMillis());
        async.zadd(OPEN, impression.servedAt().toEpochMilli(), impression.id());
        async.set(latestKey(impression.userId()), impression.id(), SetArgs.Builder.px(window.toMillis()));
    }

    /**
     * Credits the interaction to the user's open impression when it names one of the impression's items.
     *
     * @return what it was credited as; {@link Attribution#NONE} when there is no open impression or the item was
     *         not in it
     */
    public Attribution attribute(InteractionEvent event) {
        if (event.itemId() == null) {
            return Attribution.NONE;
        }
        String impressionId = redis.get(latestKey(event.userId()));
        if (impressionId == null) {
            return Attribution.NONE;
        }
        String key = key(impressionId);
        List<KeyValue<String, String>> fields = redis.hmget(key, "items", "explored");
        if (!fields.get(0).hasValue() || !Arrays.asList(fields.get(0).getValue().split(",")).contains(event.itemId())) {
            return Attribution.NONE;
        }
        redis.hincrby(key, "clicked", 1);
        boolean firstOnItem = redis.hsetnx(key, "clicked:" + event.itemId(), "1");
        if (event.watchSeconds() != null) {
            redis.hincrby(key, "watch", event.watchSeconds());
        }
        boolean explored = fields.get(1).hasValue()
                && Arrays.asList(fields.get(1).getValue().split(",")).contains(event.itemId());
        return new Attribution(true, firstOnItem, explored);
    }

    /** Closes the impressions whose window ended before {@code now}; returns those this instance closed. */
    public List<ClosedImpression> closeDue(Instant now) {
        List<String> due = redis.zrangebyscore(OPEN, Range.create(0, (double) now.minus(window).toEpochMilli()),
                Limit.create(0, CLOSE_BATCH));
        List<ClosedImpression> closed = new ArrayList<>(due.size());
        for (String id : due) {
            if (redis.zrem(OPEN, id) == 0) {
                continue;
            }
            Map<String, String> fields = redis.hgetall(key(id));
            redis.del(key(id));
            if (fields.isEmpty()) {
                continue;
            }
            closed.add(new ClosedImpression(emptyToNull(fields.get("experiment")), emptyToNull(fields.get("arm")),
                    !"0".equals(fields.get("clicked")), Long.parseLong(fields.getOrDefault("watch", "0"))));
        }
        return closed;
    }

    /**
     * @param inImpression the item was in the user's open list
     * @param firstOnItem  and this is the first interaction with that item since it was shown
     * @param explored     and the bandit had placed it
     */
    public record Attribution(boolean inImpression, boolean firstOnItem, boolean explored) {
        public static final Attribution NONE = new Attribution(false, false, false);
    }

    /** An impression whose window has passed, with its outcome. */
    public record ClosedImpression(String experiment, String arm, boolean clicked, long watchSeconds) {
    }

    private static String key(String impressionId) {
        return "recs:impression:" + impressionId;
    }

    private static String latestKey(String userId) {
        return "recs:impression:latest:" + userId;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
