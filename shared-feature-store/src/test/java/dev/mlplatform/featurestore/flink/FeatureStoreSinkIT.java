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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sink in a real Flink job on a local MiniCluster, two subtasks, checkpointing on. */
class FeatureStoreSinkIT {

    private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");
    private static final int ENTITIES = 50;
    private static final int UPDATES_PER_ENTITY = 4;

    private final FeatureView view = TestStores.view("flink", new Entity("card", "card_token", ""),
            Duration.ofHours(1), new Feature("count", ValueType.LONG, ""), new Feature("amount", ValueType.DOUBLE, ""));

    @AfterEach
    void forget() {
        try (FeatureStore store = FeatureStore.open(TestStores.connection())) {
            for (int e = 0; e < ENTITIES; e++) {
                store.online().delete(view, "card-" + e);
            }
        }
        TestStores.forget(view);
    }

    @Test
    void storesEveryRowOfflineAndTheLatestPerEntityOnlineEvenWhenTheJobRunsTwice() throws Exception {
        TestStores.dataSource();
        runJob();
        runJob(); // a full replay, as after a restore from an early checkpoint

        try (FeatureStore store = FeatureStore.open(TestStores.connection())) {
            List<String> ids = IntStream.range(0, ENTITIES).mapToObj(e -> "card-" + e).toList();
            Map<String, FeatureRow> online = store.online().readBatch(view, ids);
            assertThat(online).hasSize(ENTITIES);
            for (int e = 0; e < ENTITIES; e++) {
                assertThat(online.get("card-" + e)).isEqualTo(RowOf.row(e * UPDATES_PER_ENTITY + UPDATES_PER_ENTITY - 1));
                assertThat(store.offline().history(view, "card-" + e)).hasSize(UPDATES_PER_ENTITY);
            }
            assertThat(store.registry().find(view.id())).contains(view);
        }
    }

    private void runJob() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(200);
        List<Integer> indexes = new ArrayList<>();
        // Newest first, so that the subtasks see each entity's updates out of event-time order.
        for (int i = ENTITIES * UPDATES_PER_ENTITY - 1; i >= 0; i--) {
            indexes.add(i);
        }
        env.fromData(indexes)
                .map(new RowOf(), FeatureRowTypeInfo.INSTANCE)
                .rebalance()
                .sinkTo(new FeatureStoreSink(view, TestStores.connection()).withMaxBufferedRows(16));
        env.execute("feature store sink test");
    }

    /** Row {@code i}: entity {@code i / UPDATES_PER_ENTITY}, its {@code i % UPDATES_PER_ENTITY}-th update. */
    static final class RowOf implements MapFunction<Integer, FeatureRow> {

        static FeatureRow row(int i) {
            int update = i % UPDATES_PER_ENTITY;
            return new FeatureRow("card-" + i / UPDATES_PER_ENTITY, T.plusSeconds(update),
                    Map.of("count", (long) update + 1, "amount", 10.0 * (update + 1)));
        }

        @Override
        public FeatureRow map(Integer i) {
            return row(i);
        }
    }
}
