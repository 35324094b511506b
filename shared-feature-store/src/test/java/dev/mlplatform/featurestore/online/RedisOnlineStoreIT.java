package dev.mlplatform.featurestore.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.featurestore.TestStores;
import dev.mlplatform.featurestore.registry.Entity;
import dev.mlplatform.featurestore.registry.Feature;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.featurestore.registry.ValueType;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RedisOnlineStoreIT {

    private static final Entity CARD = new Entity("card", "card_token", "a card");
    private static final Instant T = Instant.parse("2026-11-26T10:15:30.123456Z");
    private static RedisOnlineStore store;
    private static RedisClient inspector;
    private static StatefulRedisConnection<String, String> redis;

    private final FeatureView view = TestStores.view("online", CARD, Duration.ofMinutes(10),
            new Feature("count", ValueType.LONG, ""), new Feature("amount", ValueType.DOUBLE, ""),
            new Feature("country", ValueType.STRING, ""), new Feature("novel", ValueType.BOOLEAN, ""));
    private final Set<String> writtenEntities = new HashSet<>();

    @BeforeAll
    static void connect() {
        store = RedisOnlineStore.connect(TestStores.connection());
        inspector = RedisClient.create(TestStores.connection().redisUri());
        redis = inspector.connect();
    }

    @AfterAll
    static void disconnect() {
        store.close();
        redis.close();
        inspector.shutdown();
    }

    @AfterEach
    void deleteOwnKeys() {
        writtenEntities.forEach(id -> store.delete(view, id));
    }

    @Test
    void readsSeveralViewsOfDifferentEntitiesTogether() {
        FeatureView customers = TestStores.view("online-customer", new Entity("customer", "customer_id", "a customer"),
                Duration.ofMinutes(10), new Feature("count", ValueType.LONG, ""));
        FeatureRow card = row("card-7", T, Map.of("count", 2L));
        FeatureRow customer = row("cust-7", T.plusSeconds(5), Map.of("count", 9L));
        store.writeBatch(view, List.of(card));
        store.writeBatch(customers, List.of(customer));

        Map<FeatureView, Map<String, FeatureRow>> read = store.readViews(Map.of(
                view, List.of("card-7", "cust-7"), customers, List.of("cust-7", "cust-unknown")));

        assertThat(read.get(view)).containsExactly(Map.entry("card-7", card));
        assertThat(read.get(customers)).containsExactly(Map.entry("cust-7", customer));
        store.delete(customers, "cust-7");
    }

    @Test
    void readsBackWhatItWroteWithTypesAndEventTime() {
        FeatureRow row = row("card-1", T, Map.of("count", 3, "amount", 42.5, "country", "FR", "novel", true));
        FeatureRow extremes = row("card-2", T.plusSeconds(1),
                Map.of("count", Long.MAX_VALUE, "amount", Double.NaN, "country", "Ünï:{code}", "novel", false));

        store.writeBatch(view, List.of(row, extremes));
        Map<String, FeatureRow> read = store.readBatch(view, List.of("card-1", "card-2", "card-never-written"));

        assertThat(read).containsOnlyKeys("card-1", "card-2");
        assertThat(read.get("card-1")).isEqualTo(row("card-1", T,
                Map.of("count", 3L, "amount", 42.5, "country", "FR", "novel", true)));
        assertThat(read.get("card-1").values().get("count")).isInstanceOf(Long.class);
        assertThat(read.get("card-2")).isEqualTo(extremes);
    }

    @Test
    void keepsTheEntityHashUnderAClusterReadyKeyWithTheViewTtl() {
        store.writeBatch(view, List.of(row("card-k", T, Map.of("count", 1L))));

        String key = "fs:{card-k}:" + view.name() + ":v1";
        assertThat(redis.sync().hgetall(key)).containsEntry("count", "1")
                .containsEntry(RedisKeys.EVENT_TIME_FIELD, "1795688130123456");
        assertThat(redis.sync().pttl(key)).isBetween(1L, Duration.ofMinutes(10).toMillis());
    }

    @Test
    void neverMovesAValueBackInEventTime() {
        FeatureRow newer = row("card-3", T.plusSeconds(60), Map.of("count", 5L));
        FeatureRow older = row("card-3", T, Map.of("count", 2L, "country", "DE"));

        assertThat(store.writeBatchCountingApplied(view, List.of(newer))).isEqualTo(1);
        assertThat(store.writeBatchCountingApplied(view, List.of(older))).isZero();

        assertThat(store.readBatch(view, List.of("card-3")).get("card-3")).isEqualTo(newer);
    }

    @Test
    void keepsTheLatestOfOneBatchWhateverItsOrder() {
        List<FeatureRow> outOfOrder = List.of(
                row("card-4", T.plusSeconds(2), Map.of("count", 2L)),
                row("card-4", T.plusSeconds(3), Map.of("count", 3L)),
                row("card-4", T.plusSeconds(1), Map.of("count", 1L)));

        assertThat(store.writeBatchCountingApplied(view, outOfOrder)).isEqualTo(2);

        assertThat(store.readBatch(view, List.of("card-4")).get("card-4").values()).containsEntry("count", 3L);
    }

    @Test
    void replacesTheWholeRowSoThatNoStaleFeatureSurvives() {
        store.writeBatch(view, List.of(row("card-5", T, Map.of("count", 1L, "country", "FR"))));
        store.writeBatch(view, List.of(row("card-5", T, Map.of("count", 2L))));

        assertThat(store.readBatch(view, List.of("card-5")).get("card-5").values())
                .isEqualTo(Map.of("count", 2L));
    }

    @Test
    void forgetsValuesAfterTheViewTtl() throws InterruptedException {
        FeatureView shortLived = TestStores.view("short", CARD, Duration.ofSeconds(1),
                new Feature("count", ValueType.LONG, ""));
        store.writeBatch(shortLived, List.of(row("card-6", T, Map.of("count", 1L))));
        assertThat(store.readBatch(shortLived, List.of("card-6"))).containsKey("card-6");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!store.readBatch(shortLived, List.of("card-6")).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }

        assertThat(store.readBatch(shortLived, List.of("card-6"))).isEmpty();
    }

    @Test
    void writesAndReadsAThousandEntitiesInOneBatch() {
        List<FeatureRow> rows = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            ids.add("card-batch-" + i);
            rows.add(row("card-batch-" + i, T.plusMillis(i), Map.of("count", (long) i, "amount", i / 4.0)));
        }

        assertThat(store.writeBatchCountingApplied(view, rows)).isEqualTo(1_000);
        List<String> asked = new ArrayList<>(ids);
        asked.add("card-batch-missing");
        Map<String, FeatureRow> read = store.readBatch(view, asked);

        assertThat(read).hasSize(1_000);
        for (FeatureRow row : rows) {
            assertThat(read.get(row.entityId())).isEqualTo(row);
        }
    }

    @Test
    void deletesOneEntityOfOneView() {
        store.writeBatch(view, List.of(row("card-7", T, Map.of("count", 1L)), row("card-8", T, Map.of("count", 1L))));

        assertThat(store.deleteCounting(view, "card-7")).isTrue();
        assertThat(store.deleteCounting(view, "card-7")).isFalse();

        assertThat(store.readBatch(view, List.of("card-7", "card-8"))).containsOnlyKeys("card-8");
    }

    @Test
    @Timeout(30)
    void failsInsteadOfHangingWhenRedisDoesNotAnswer() throws IOException {
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    held.forEach(socket -> {
                        try {
                            socket.close();
                        } catch (IOException ignored) {
                            // closing a test socket
                        }
                    });
                }
            });
            acceptor.start();

            assertThatThrownBy(() -> RedisOnlineStore.connect("redis://127.0.0.1:" + silent.getLocalPort(),
                    Duration.ofMillis(300)).close()).isInstanceOf(RedisException.class);
        }
    }

    private FeatureRow row(String entityId, Instant eventTime, Map<String, Object> values) {
        writtenEntities.add(entityId);
        return new FeatureRow(entityId, eventTime, values);
    }
}
