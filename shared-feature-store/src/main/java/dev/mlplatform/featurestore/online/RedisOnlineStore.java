package dev.mlplatform.featurestore.online;

import dev.mlplatform.featurestore.FeatureStoreConnection;
import dev.mlplatform.featurestore.registry.Feature;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureValues;
import dev.mlplatform.featurestore.registry.FeatureView;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.MapOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The online store in Redis: one hash per (entity, view) holding the feature values and their event
 * time, expiring {@code ttl} after the last write.
 *
 * <p>Batches go out as one write on the connection ({@code dispatch} of all commands at once) and
 * their replies are awaited together: one round trip per batch, on a connection that stays safe to
 * share between threads. A write runs a Lua script that compares event times and replaces the hash
 * only when the new row is not older, atomically per key, so replays and out-of-order writers never
 * move a value back in event time. The key TTL counts from the write (as Feast's Redis store does),
 * so a replay of historic events still serves; point-in-time training applies the TTL in event time.
 */
public final class RedisOnlineStore implements OnlineStore {

    /** Default bound on a batch's round trip; callers wrap calls in their own circuit breakers. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
    /** The least time connecting (and reconnecting) may take. */
    public static final Duration SETUP_TIMEOUT = Duration.ofSeconds(2);

    // KEYS[1] the hash; ARGV[1] event time (us); ARGV[2] ttl (ms); ARGV[3..] field, value pairs.
    // Returns 1 when written, 0 when the stored row is newer. Equal event times overwrite: the later
    // writer of the same instant carries at least as much information (e.g. a refreshed aggregate).
    static final String COMPARE_AND_SET_SCRIPT = """
            local stored = redis.call('HGET', KEYS[1], '%s')
            if stored and tonumber(stored) > tonumber(ARGV[1]) then
              return 0
            end
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], '%s', ARGV[1], unpack(ARGV, 3))
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return 1
            """.formatted(RedisKeys.EVENT_TIME_FIELD, RedisKeys.EVENT_TIME_FIELD);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final Duration timeout;
    private final String scriptSha;

    private RedisOnlineStore(RedisClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
        try {
            this.connection = client.connect(StringCodec.UTF8);
        } catch (RedisException e) {
            client.shutdown();
            throw e;
        }
        this.scriptSha = connection.sync().scriptLoad(COMPARE_AND_SET_SCRIPT.getBytes(StandardCharsets.UTF_8));
        connection.setTimeout(timeout);
    }

    /**
     * Connects to {@code redisUri} (e.g. {@code redis://127.0.0.1:6379/0}); every batch waits at most {@code timeout}.
     * Connecting and loading the script wait at least {@link #SETUP_TIMEOUT}: a read's budget of tens of
     * milliseconds would fail a start on a busy machine.
     */
    public static RedisOnlineStore connect(String redisUri, Duration timeout) {
        RedisURI uri = RedisURI.create(redisUri);
        uri.setTimeout(timeout.compareTo(SETUP_TIMEOUT) > 0 ? timeout : SETUP_TIMEOUT);
        RedisClient client = RedisClient.create(uri);
        // While the connection is down (it reconnects in the background) calls fail at once instead of
        // queueing until the timeout: a scoring service falls back immediately, a Flink job restarts.
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        return new RedisOnlineStore(client, timeout);
    }

    public static RedisOnlineStore connect(FeatureStoreConnection connection) {
        return connect(connection.redisUri(), connection.redisTimeout());
    }

    @Override
    public void writeBatch(FeatureView view, List<FeatureRow> rows) {
        writeBatchCountingApplied(view, rows);
    }

    /**
     * Writes the rows as {@link #writeBatch} does and returns how many were applied; the others met a
     * stored row with a later event time.
     */
    public int writeBatchCountingApplied(FeatureView view, List<FeatureRow> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        List<CommandArgs<String, String>> arguments = new ArrayList<>(rows.size());
        for (FeatureRow row : rows) {
            arguments.add(compareAndSetArguments(view, row));
        }
        List<AsyncCommand<String, String, Long>> commands = dispatchScripts(arguments);
        List<Long> results;
        try {
            results = awaitAll(commands, "write " + rows.size() + " rows of " + view.id());
        } catch (RedisNoScriptException e) {
            // The server lost its script cache (restart, failover, SCRIPT FLUSH): load and rerun.
            // Rerunning rows that already applied is harmless: the script is idempotent.
            connection.sync().scriptLoad(COMPARE_AND_SET_SCRIPT.getBytes(StandardCharsets.UTF_8));
            results = awaitAll(dispatchScripts(arguments), "write " + rows.size() + " rows of " + view.id());
        }
        return (int) results.stream().filter(r -> r == 1L).count();
    }

    @Override
    public Map<String, FeatureRow> readBatch(FeatureView view, Collection<String> entityIds) {
        return readViews(Map.of(view, entityIds)).get(view);
    }

    /** Every view's rows in one round trip: all the reads are dispatched together and awaited together. */
    @Override
    public Map<FeatureView, Map<String, FeatureRow>> readViews(Map<FeatureView, ? extends Collection<String>> entityIdsByView) {
        List<FeatureView> views = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<AsyncCommand<String, String, Map<String, String>>> commands = new ArrayList<>();
        entityIdsByView.forEach((view, entityIds) -> {
            for (String id : entityIds) {
                views.add(view);
                ids.add(id);
                CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).addKey(RedisKeys.key(view, id));
                commands.add(new AsyncCommand<>(new Command<>(CommandType.HGETALL, new MapOutput<>(StringCodec.UTF8), args)));
            }
        });
        Map<FeatureView, Map<String, FeatureRow>> rows = new LinkedHashMap<>();
        entityIdsByView.keySet().forEach(view -> rows.put(view, new LinkedHashMap<>()));
        if (commands.isEmpty()) {
            return rows;
        }
        connection.dispatch(commands);
        List<Map<String, String>> hashes = awaitAll(commands, "read " + ids.size() + " rows of "
                + entityIdsByView.keySet().stream().map(FeatureView::id).toList());
        for (int i = 0; i < ids.size(); i++) {
            Map<String, String> hash = hashes.get(i);
            String eventTime = hash.get(RedisKeys.EVENT_TIME_FIELD);
            if (eventTime == null) {
                continue;
            }
            FeatureView view = views.get(i);
            rows.get(view).put(ids.get(i), new FeatureRow(ids.get(i),
                    FeatureValues.fromEpochMicros(Long.parseLong(eventTime)), typedValues(view, hash)));
        }
        return rows;
    }

    @Override
    public void delete(FeatureView view, String entityId) {
        deleteCounting(view, entityId);
    }

    /** Removes the entity's hash of this view; true when there was one. */
    public boolean deleteCounting(FeatureView view, String entityId) {
        return connection.sync().del(RedisKeys.key(view, entityId)) > 0;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }

    private CommandArgs<String, String> compareAndSetArguments(FeatureView view, FeatureRow row) {
        Map<String, Object> values = FeatureValues.checked(view, row);
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8)
                .add(scriptSha)
                .add(1)
                .addKey(RedisKeys.key(view, row.entityId()))
                .addValue(Long.toString(FeatureValues.epochMicros(FeatureValues.storedEventTime(row.eventTime()))))
                .addValue(Long.toString(view.ttl().toMillis()));
        values.forEach((name, value) -> args.addValue(name).addValue(FeatureValues.encode(value)));
        return args;
    }

    private List<AsyncCommand<String, String, Long>> dispatchScripts(List<CommandArgs<String, String>> arguments) {
        List<AsyncCommand<String, String, Long>> commands = new ArrayList<>(arguments.size());
        for (CommandArgs<String, String> args : arguments) {
            commands.add(new AsyncCommand<>(new Command<>(CommandType.EVALSHA, new IntegerOutput<>(StringCodec.UTF8), args)));
        }
        connection.dispatch(commands);
        return commands;
    }

    private static Map<String, Object> typedValues(FeatureView view, Map<String, String> hash) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Feature feature : view.features()) {
            String text = hash.get(feature.name());
            if (text != null) {
                values.put(feature.name(), FeatureValues.decode(feature.type(), text));
            }
        }
        return values;
    }

    private <T> List<T> awaitAll(List<AsyncCommand<String, String, T>> commands, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<T> results = new ArrayList<>(commands.size());
        try {
            for (AsyncCommand<String, String, T> command : commands) {
                results.add(command.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return results;
        } catch (TimeoutException e) {
            commands.forEach(command -> command.cancel(true));
            throw new RedisCommandTimeoutException("Redis did not answer within " + timeout + " to " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            commands.forEach(command -> command.cancel(true));
            throw new RedisException("interrupted while waiting for Redis to " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisException redis) {
                throw redis;
            }
            throw new RedisException("Redis failed to " + what + ": " + e.getCause(), e.getCause());
        }
    }
}
