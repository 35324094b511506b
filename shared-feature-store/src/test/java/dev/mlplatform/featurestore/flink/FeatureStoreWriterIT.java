package dev.mlplatform.featurestore.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.featurestore.FeatureStore;
import dev.mlplatform.featurestore.TestStores;
import dev.mlplatform.featurestore.registry.Entity;
import dev.mlplatform.featurestore.registry.Feature;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.featurestore.registry.ValueType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sink's writer driven directly, as Flink's task thread would: writes, timers, checkpoints, replays. */
class FeatureStoreWriterIT {

    private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    private final FeatureView view = TestStores.view("sink", new Entity("card", "card_token", ""),
            Duration.ofHours(1), new Feature("count", ValueType.LONG, ""));
    private final ManualProcessingTime time = new ManualProcessingTime();
    private FeatureStore inspector;

    @BeforeEach
    void open() {
        TestStores.dataSource();
        inspector = FeatureStore.open(TestStores.connection());
        inspector.register(view);
    }

    @AfterEach
    void close() {
        for (String id : List.of("c1", "c2", "c3")) {
            inspector.online().delete(view, id);
        }
        inspector.close();
        TestStores.forget(view);
    }

    @Test
    void holdsRowsUntilTheBufferIsFull() throws Exception {
        try (FeatureStoreWriter writer = writer(3, Duration.ofMinutes(1))) {
            writer.write(row("c1", 0, 1), null);
            writer.write(row("c2", 0, 1), null);
            assertThat(stored("c1", "c2")).isEmpty();
            assertThat(inspector.offline().history(view, "c1")).isEmpty();

            writer.write(row("c3", 0, 1), null);

            assertThat(writer.bufferedRows()).isZero();
            assertThat(stored("c1", "c2", "c3")).containsOnlyKeys("c1", "c2", "c3");
            assertThat(inspector.offline().history(view, "c3")).containsExactly(row("c3", 0, 1));
            assertThat(time.pendingTimers()).isZero();
        }
    }

    @Test
    void writesABufferThatWaitedTheMaximumDelay() throws Exception {
        try (FeatureStoreWriter writer = writer(100, Duration.ofMillis(200))) {
            writer.write(row("c1", 0, 1), null);
            time.advanceBy(199);
            assertThat(stored("c1")).isEmpty();

            time.advanceBy(1);

            assertThat(stored("c1")).containsKey("c1");
            assertThat(writer.bufferedRows()).isZero();
        }
    }

    @Test
    void writesEverythingBeforeACheckpointAndAtTheEndOfInput() throws Exception {
        try (FeatureStoreWriter writer = writer(100, Duration.ofMinutes(1))) {
            writer.write(row("c1", 0, 1), null);
            writer.flush(false);
            assertThat(stored("c1")).containsKey("c1");

            writer.write(row("c2", 0, 1), null);
            writer.flush(true);
            assertThat(stored("c2")).containsKey("c2");
            assertThat(time.pendingTimers()).isZero();
        }
    }

    @Test
    void aReplayAfterRestoreChangesNothing() throws Exception {
        List<FeatureRow> sinceCheckpoint = List.of(row("c1", 1, 1), row("c1", 2, 2), row("c2", 1, 5));
        try (FeatureStoreWriter beforeFailure = writer(100, Duration.ofMinutes(1))) {
            for (FeatureRow row : sinceCheckpoint) {
                beforeFailure.write(row, null);
            }
            beforeFailure.flush(false);
            // The job fails after this write but before the checkpoint completes ...
        }
        Map<String, FeatureRow> onlineBefore = stored("c1", "c2");

        try (FeatureStoreWriter afterRestore = writer(100, Duration.ofMinutes(1))) {
            // ... so the restored job replays the same rows.
            for (FeatureRow row : sinceCheckpoint) {
                afterRestore.write(row, null);
            }
            afterRestore.flush(false);
        }

        assertThat(stored("c1", "c2")).isEqualTo(onlineBefore);
        assertThat(onlineBefore.get("c1")).isEqualTo(row("c1", 2, 2));
        assertThat(inspector.offline().history(view, "c1")).containsExactly(row("c1", 1, 1), row("c1", 2, 2));
        assertThat(inspector.offline().history(view, "c2")).hasSize(1);
    }

    @Test
    void closingWithoutAFlushWritesNothing() throws Exception {
        FeatureStoreWriter writer = writer(100, Duration.ofMinutes(1));
        writer.write(row("c3", 0, 1), null);

        writer.close();

        assertThat(stored("c3")).isEmpty();
        assertThat(inspector.offline().history(view, "c3")).isEmpty();
    }

    private FeatureStoreWriter writer(int maxRows, Duration maxDelay) {
        return new FeatureStoreWriter(view, FeatureStore.open(TestStores.connection()), true, maxRows, maxDelay, time);
    }

    private Map<String, FeatureRow> stored(String... ids) {
        return inspector.online().readBatch(view, List.of(ids));
    }

    private static FeatureRow row(String id, int second, long count) {
        return new FeatureRow(id, T.plusSeconds(second), Map.of("count", count));
    }
}
