package dev.mlplatform.featurestore.flink;

import dev.mlplatform.featurestore.FeatureStore;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * The writer of {@link FeatureStoreSink}: one per parallel subtask, owning its store connections.
 * Flink calls {@code write}, {@code flush} and the timer callback on the task's thread, so the buffer
 * needs no locking.
 */
final class FeatureStoreWriter implements SinkWriter<FeatureRow> {

    private final FeatureView view;
    private final FeatureStore store;
    private final boolean online;
    private final int maxBufferedRows;
    private final Duration maxBufferDelay;
    private final ProcessingTimeService timers;
    private final List<FeatureRow> buffer = new ArrayList<>();
    private ScheduledFuture<?> pendingFlush;

    FeatureStoreWriter(FeatureView view, FeatureStore store, boolean online, int maxBufferedRows,
                       Duration maxBufferDelay, ProcessingTimeService timers) {
        this.view = view;
        this.store = store;
        this.online = online;
        this.maxBufferedRows = maxBufferedRows;
        this.maxBufferDelay = maxBufferDelay;
        this.timers = timers;
    }

    @Override
    public void write(FeatureRow row, Context context) {
        buffer.add(row);
        if (buffer.size() >= maxBufferedRows) {
            writeBuffer();
        } else if (pendingFlush == null) {
            pendingFlush = timers.registerTimer(timers.getCurrentProcessingTime() + maxBufferDelay.toMillis(),
                    time -> {
                        pendingFlush = null;
                        writeBuffer();
                    });
        }
    }

    /** Called before each checkpoint barrier and at the end of input. */
    @Override
    public void flush(boolean endOfInput) {
        writeBuffer();
    }

    /** Rows still buffered, not yet in either store. */
    int bufferedRows() {
        return buffer.size();
    }

    @Override
    public void close() {
        // No flush here: close also follows failures and cancellation; rows not yet flushed belong to
        // no completed checkpoint and are replayed after the restore.
        if (pendingFlush != null) {
            pendingFlush.cancel(false);
        }
        store.close();
    }

    private void writeBuffer() {
        if (pendingFlush != null) {
            pendingFlush.cancel(false);
            pendingFlush = null;
        }
        if (buffer.isEmpty()) {
            return;
        }
        if (online) {
            store.write(view, buffer);
        } else {
            store.log(view, buffer);
        }
        buffer.clear();
    }
}
