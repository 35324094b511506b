package dev.mlplatform.featurestore.flink;

import dev.mlplatform.featurestore.FeatureStore;
import dev.mlplatform.featurestore.FeatureStoreConnection;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes the {@link FeatureRow}s of one feature view to the online store (Redis) and the offline log
 * (Postgres).
 *
 * <p>Each writer buffers rows and writes them as one batch to both stores when the buffer is full,
 * when its oldest row has waited {@code maxBufferDelay} (freshness for online serving), before every
 * checkpoint barrier and at the end of input. So every row before a checkpoint is stored before the
 * checkpoint completes (at-least-once), and both writes are idempotent (the log's key, the online
 * store's event-time compare-and-set): a replay after a restore changes nothing, which makes the
 * stored result exactly-once.
 *
 * <p>The sink is serializable configuration only; each writer opens its own connections and
 * registers the view on start (failing fast if the view id is registered with another definition).
 */
public final class FeatureStoreSink implements Sink<FeatureRow> {

    public static final int DEFAULT_MAX_BUFFERED_ROWS = 500;
    public static final Duration DEFAULT_MAX_BUFFER_DELAY = Duration.ofMillis(200);

    private final FeatureView view;
    private final FeatureStoreConnection connection;
    private final int maxBufferedRows;
    private final Duration maxBufferDelay;
    private final boolean online;

    public FeatureStoreSink(FeatureView view, FeatureStoreConnection connection) {
        this(view, connection, DEFAULT_MAX_BUFFERED_ROWS, DEFAULT_MAX_BUFFER_DELAY, true);
    }

    private FeatureStoreSink(FeatureView view, FeatureStoreConnection connection, int maxBufferedRows,
                             Duration maxBufferDelay, boolean online) {
        this.view = Objects.requireNonNull(view, "view");
        this.connection = Objects.requireNonNull(connection, "connection");
        if (maxBufferedRows < 1) {
            throw new IllegalArgumentException("maxBufferedRows must be at least 1, got " + maxBufferedRows);
        }
        if (maxBufferDelay.isNegative() || maxBufferDelay.isZero()) {
            throw new IllegalArgumentException("maxBufferDelay must be positive, got " + maxBufferDelay);
        }
        this.maxBufferedRows = maxBufferedRows;
        this.maxBufferDelay = maxBufferDelay;
        this.online = online;
    }

    /** The same sink, writing a batch as soon as it holds {@code rows} rows. */
    public FeatureStoreSink withMaxBufferedRows(int rows) {
        return new FeatureStoreSink(view, connection, rows, maxBufferDelay, online);
    }

    /** The same sink, writing a batch at most {@code delay} (processing time) after its first row arrived. */
    public FeatureStoreSink withMaxBufferDelay(Duration delay) {
        return new FeatureStoreSink(view, connection, maxBufferedRows, delay, online);
    }

    /** The same sink, logging the rows to the offline store only ({@link FeatureStore#log}): a batch source. */
    public FeatureStoreSink offlineOnly() {
        return new FeatureStoreSink(view, connection, maxBufferedRows, maxBufferDelay, false);
    }

    public FeatureView view() {
        return view;
    }

    @Override
    public SinkWriter<FeatureRow> createWriter(WriterInitContext context) {
        FeatureStore store = FeatureStore.open(connection);
        try {
            store.register(view);
            return new FeatureStoreWriter(view, store, online, maxBufferedRows, maxBufferDelay,
                    context.getProcessingTimeService());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return "FeatureStoreSink[" + view.id() + (online ? "" : " offline only") + " -> " + connection + "]";
    }
}
