package dev.mlplatform.featurestore.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.featurestore.TestStores;
import dev.mlplatform.featurestore.registry.Entity;
import dev.mlplatform.featurestore.registry.Feature;
import dev.mlplatform.featurestore.registry.FeatureRegistry;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.featurestore.registry.ValueType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresOfflineStoreIT {

    private static final Entity CARD = new Entity("card", "card_token", "a card");
    private static final Instant T = Instant.parse("2026-11-26T10:15:30.123456789Z");

    private final PostgresOfflineStore store = new PostgresOfflineStore(TestStores.dataSource());
    private final FeatureView view = TestStores.view("offline", CARD, Duration.ofHours(1),
            new Feature("count", ValueType.LONG, ""), new Feature("amount", ValueType.DOUBLE, ""),
            new Feature("country", ValueType.STRING, ""), new Feature("novel", ValueType.BOOLEAN, ""));

    @BeforeEach
    void registerView() {
        new FeatureRegistry(TestStores.dataSource()).register(view);
    }

    @AfterEach
    void forgetView() {
        TestStores.forget(view);
    }

    @Test
    void appendingTheSameRowsAgainChangesNothing() {
        List<FeatureRow> rows = List.of(
                new FeatureRow("card-1", T, Map.of("count", 1, "amount", 9.5, "country", "FR", "novel", true)),
                new FeatureRow("card-1", T.plusSeconds(5), Map.of("count", 2L, "amount", 19.0)),
                new FeatureRow("card-2", T, Map.of("count", 1L)));

        assertThat(store.appendCountingWritten(view, rows)).isEqualTo(3);
        assertThat(store.appendCountingWritten(view, rows)).isZero();
        assertThat(store.appendCountingWritten(view, List.of(rows.get(2), rows.get(2)))).isZero();

        assertThat(store.history(view, "card-1")).containsExactly(
                new FeatureRow("card-1", Instant.parse("2026-11-26T10:15:30.123456Z"),
                        Map.of("count", 1L, "amount", 9.5, "country", "FR", "novel", true)),
                new FeatureRow("card-1", Instant.parse("2026-11-26T10:15:35.123456Z"),
                        Map.of("count", 2L, "amount", 19.0)));
    }

    @Test
    void aCorrectionReplacesTheValuesOfItsInstantAndTheLastRowOfABatchWins() {
        store.append(view, List.of(new FeatureRow("card-3", T, Map.of("count", 1L))));
        long corrected = store.appendCountingWritten(view, List.of(new FeatureRow("card-3", T, Map.of("count", 2L)),
                new FeatureRow("card-3", T, Map.of("count", 3L))));

        assertThat(corrected).isEqualTo(1);
        assertThat(store.history(view, "card-3")).singleElement()
                .extracting(row -> row.values().get("count")).isEqualTo(3L);
    }

    @Test
    void logsEachMonthInItsOwnPartitionCreatedOnDemand() throws SQLException {
        Instant farFuture = Instant.parse("2031-07-15T12:00:00Z");
        Instant monthAfter = Instant.parse("2031-08-01T00:00:00Z");

        store.append(view, List.of(new FeatureRow("card-4", farFuture, Map.of("count", 1L)),
                new FeatureRow("card-4", monthAfter, Map.of("count", 2L))));

        assertThat(store.partitionTables()).contains("feature_log_default", "feature_log_p2031_07", "feature_log_p2031_08");
        assertThat(partitionsHolding("card-4")).containsExactly("featurestore.feature_log_p2031_07",
                "featurestore.feature_log_p2031_08");
    }

    @Test
    void appendsLargeBatchesAcrossStatements() {
        List<FeatureRow> rows = new ArrayList<>();
        for (int i = 0; i < PostgresOfflineStore.ROWS_PER_STATEMENT + 10; i++) {
            rows.add(new FeatureRow("card-bulk-" + (i % 100), T.plusMillis(i), Map.of("count", (long) i)));
        }

        assertThat(store.appendCountingWritten(view, rows)).isEqualTo(rows.size());
        assertThat(store.appendCountingWritten(view, rows)).isZero();
        assertThat(store.history(view, "card-bulk-7")).hasSize(51);
    }

    @Test
    void deletesOneEntityAndSaysHowManyRows() {
        store.append(view, List.of(new FeatureRow("card-5", T, Map.of("count", 1L)),
                new FeatureRow("card-5", T.plusSeconds(1), Map.of("count", 2L)),
                new FeatureRow("card-6", T, Map.of("count", 1L))));

        assertThat(store.delete(view, "card-5")).isEqualTo(2);

        assertThat(store.history(view, "card-5")).isEmpty();
        assertThat(store.history(view, "card-6")).hasSize(1);
    }

    @Test
    void refusesRowsOfAnUnregisteredViewWithAClearMessage() {
        FeatureView unregistered = TestStores.view("unregistered", CARD, Duration.ofHours(1),
                new Feature("count", ValueType.LONG, ""));

        assertThatThrownBy(() -> store.append(unregistered, List.of(new FeatureRow("card-7", T, Map.of("count", 1L)))))
                .hasMessageContaining(unregistered.id() + " is not registered");
    }

    private List<String> partitionsHolding(String entityId) throws SQLException {
        try (Connection c = TestStores.dataSource().getConnection();
             PreparedStatement select = c.prepareStatement("SELECT tableoid::regclass::text FROM featurestore.feature_log"
                     + " WHERE view_id = ? AND entity_id = ? ORDER BY event_time")) {
            select.setString(1, view.id());
            select.setString(2, entityId);
            List<String> partitions = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    partitions.add(rs.getString(1));
                }
            }
            return partitions;
        }
    }
}
