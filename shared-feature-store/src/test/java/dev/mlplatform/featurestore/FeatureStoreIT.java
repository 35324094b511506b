package dev.mlplatform.featurestore;

import static org.assertj.core.api.Assertions.assertThat;

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

class FeatureStoreIT {

    private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    private final Entity customer = new Entity(TestStores.uniqueName("customer"), "customer_id", "a customer");
    private final Entity merchant = new Entity(TestStores.uniqueName("merchant"), "merchant_id", "a merchant");
    private final Feature count = new Feature("count", ValueType.LONG, "");
    private final FeatureView spendV1 = new FeatureView(TestStores.uniqueName("spend"), 1, customer, List.of(count),
            Duration.ofHours(1), "test", "");
    private final FeatureView spendV2 = new FeatureView(spendV1.name(), 2, customer,
            List.of(count, new Feature("amount", ValueType.DOUBLE, "")), Duration.ofHours(1), "test", "");
    private final FeatureView devices = TestStores.view("devices", customer, Duration.ofHours(1), count);
    private final FeatureView merchantRisk = TestStores.view("merchant_risk", merchant, Duration.ofHours(1), count);
    private FeatureStore store;

    @BeforeEach
    void open() {
        TestStores.dataSource();
        store = FeatureStore.open(TestStores.connection());
        List.of(spendV1, spendV2, devices, merchantRisk).forEach(store::register);
    }

    @AfterEach
    void close() {
        for (FeatureView view : List.of(spendV1, spendV2, devices, merchantRisk)) {
            for (String id : List.of("u-1", "u-2")) {
                store.online().delete(view, id);
            }
        }
        store.close();
        TestStores.forget(spendV1, spendV2, devices, merchantRisk);
    }

    @Test
    void writesABatchToBothStores() {
        FeatureRow row = new FeatureRow("u-1", T, Map.of("count", 4L));

        store.write(spendV1, List.of(row));

        assertThat(store.online().readBatch(spendV1, List.of("u-1"))).containsEntry("u-1", row);
        assertThat(store.offline().history(spendV1, "u-1")).containsExactly(row);
    }

    @Test
    void logsEveryRowOfABatchAndKeepsEachEntitysLatestOnline() {
        FeatureRow later = new FeatureRow("u-1", T.plusSeconds(60), Map.of("count", 2L));
        FeatureRow earlier = new FeatureRow("u-1", T, Map.of("count", 1L));
        FeatureRow correction = new FeatureRow("u-2", T, Map.of("count", 7L));

        store.write(spendV1, List.of(later, earlier, new FeatureRow("u-2", T, Map.of("count", 5L)), correction));

        assertThat(store.online().readBatch(spendV1, List.of("u-1", "u-2")))
                .containsEntry("u-1", later).containsEntry("u-2", correction);
        assertThat(store.offline().history(spendV1, "u-1")).containsExactly(earlier, later);
        assertThat(store.offline().history(spendV1, "u-2")).containsExactly(correction);
    }

    @Test
    void erasesAnEntityFromEveryViewAndVersionOnlineAndOffline() {
        store.write(spendV1, List.of(new FeatureRow("u-1", T, Map.of("count", 1L)),
                new FeatureRow("u-1", T.plusSeconds(1), Map.of("count", 2L)),
                new FeatureRow("u-2", T, Map.of("count", 1L))));
        store.write(spendV2, List.of(new FeatureRow("u-1", T, Map.of("count", 1L, "amount", 3.0))));
        store.offline().append(devices, List.of(new FeatureRow("u-1", T, Map.of("count", 1L))));
        // Another entity type that happens to use the same id must survive.
        store.write(merchantRisk, List.of(new FeatureRow("u-1", T, Map.of("count", 7L))));

        ErasureReport report = store.erase(customer, "u-1");

        assertThat(report.viewsSearched()).containsExactlyInAnyOrder(spendV1.id(), spendV2.id(), devices.id());
        assertThat(report.onlineViewsRemoved()).containsExactlyInAnyOrder(spendV1.id(), spendV2.id());
        assertThat(report.offlineRowsRemoved()).isEqualTo(Map.of(spendV1.id(), 2L, spendV2.id(), 1L, devices.id(), 1L));
        assertThat(report.offlineRowsRemovedTotal()).isEqualTo(4);
        for (FeatureView view : List.of(spendV1, spendV2, devices)) {
            assertThat(store.online().readBatch(view, List.of("u-1"))).isEmpty();
            assertThat(store.offline().history(view, "u-1")).isEmpty();
        }
        assertThat(store.online().readBatch(spendV1, List.of("u-2"))).containsKey("u-2");
        assertThat(store.offline().history(spendV1, "u-2")).hasSize(1);
        assertThat(store.online().readBatch(merchantRisk, List.of("u-1"))).containsKey("u-1");
        assertThat(store.offline().history(merchantRisk, "u-1")).hasSize(1);

        // Recorded for the lake, which erases later; done once the lake says so, and reopened by a new request.
        ErasureLog log = new ErasureLog(TestStores.dataSource());
        assertThat(log.pendingInLake(customer.name())).contains("u-1");
        log.lakeErased(customer.name(), List.of("u-1"), report.requestedAt().minusSeconds(1));
        assertThat(log.pendingInLake(customer.name())).as("erased before the request: still pending").contains("u-1");
        log.lakeErased(customer.name(), List.of("u-1"), Instant.now());
        assertThat(log.pendingInLake(customer.name())).doesNotContain("u-1");
        store.erase(customer, "u-1");
        assertThat(log.pendingInLake(customer.name())).contains("u-1");
    }

    @Test
    void reportsNothingRemovedForAnUnknownEntity() {
        ErasureReport report = store.erase(customer, "u-never-seen");

        assertThat(report.removedAnything()).isFalse();
        assertThat(report.viewsSearched()).hasSize(3);
    }
}
