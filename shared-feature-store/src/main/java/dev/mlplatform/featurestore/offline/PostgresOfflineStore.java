package dev.mlplatform.featurestore.offline;

import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureValues;
import dev.mlplatform.featurestore.registry.FeatureView;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline store in Postgres: {@code featurestore.feature_log}, partitioned by month of event time,
 * one row per (view, entity, event time). A row for a key already logged replaces its values when they
 * differ (a correction: a late event changed the features of an instant that was already out, and
 * {@code logged_at} records when) and changes nothing when they are equal, so a replayed batch is
 * idempotent; within one batch the last row of a key wins. Rows go in as arrays unnested by one
 * {@code INSERT ... SELECT}, a few thousand per statement. The month's partition is created before
 * its first row is written, so rows do not pile up in the default partition (which would block the
 * creation of that month's partition later).
 */
public final class PostgresOfflineStore implements OfflineStore {

    static final int ROWS_PER_STATEMENT = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresOfflineStore.class);
    private static final String INSERT = """
            INSERT INTO featurestore.feature_log (view_id, entity_id, event_time, feature_values)
            SELECT ?, r.entity_id, r.event_time::timestamptz, r.feature_values::jsonb
              FROM unnest(?::text[], ?::text[], ?::text[]) AS r(entity_id, event_time, feature_values)
            ON CONFLICT (view_id, entity_id, event_time) DO UPDATE
               SET feature_values = EXCLUDED.feature_values, logged_at = now()
             WHERE feature_log.feature_values IS DISTINCT FROM EXCLUDED.feature_values""";

    private final DataSource dataSource;
    private final Set<YearMonth> monthsPrepared = ConcurrentHashMap.newKeySet();

    /** The schema must be migrated ({@code FeatureStore.migrate}) and the view registered before appending. */
    public PostgresOfflineStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void append(FeatureView view, List<FeatureRow> batch) {
        appendCountingWritten(view, batch);
    }

    /** Appends as {@link #append} does; returns how many rows were new or corrected. */
    public long appendCountingWritten(FeatureView view, List<FeatureRow> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        // One statement may not touch a key twice: the last row of each key stands for the batch.
        Map<String, FeatureRow> lastOfKey = new LinkedHashMap<>();
        for (FeatureRow row : batch) {
            lastOfKey.put(row.entityId() + '\u0000' + FeatureValues.storedEventTime(row.eventTime()), row);
        }
        List<FeatureRow> rows = List.copyOf(lastOfKey.values());
        String[] entityIds = new String[rows.size()];
        String[] eventTimes = new String[rows.size()];
        String[] values = new String[rows.size()];
        Set<MonthlyPartition> months = new LinkedHashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            FeatureRow row = rows.get(i);
            values[i] = FeatureValues.toJson(FeatureValues.checked(view, row));
            entityIds[i] = row.entityId();
            eventTimes[i] = FeatureValues.storedEventTime(row.eventTime()).toString();
            months.add(MonthlyPartition.of(row.eventTime()));
        }
        try (Connection c = dataSource.getConnection()) {
            for (MonthlyPartition month : months) {
                ensurePartition(c, month);
            }
            long inserted = 0;
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
                    int to = Math.min(rows.size(), from + ROWS_PER_STATEMENT);
                    insert.setString(1, view.id());
                    insert.setArray(2, textArray(c, entityIds, from, to));
                    insert.setArray(3, textArray(c, eventTimes, from, to));
                    insert.setArray(4, textArray(c, values, from, to));
                    inserted += insert.executeUpdate();
                }
            }
            return inserted;
        } catch (SQLException e) {
            if ("23503".equals(e.getSQLState())) {
                throw new IllegalStateException("feature view " + view.id()
                        + " is not registered: register it (FeatureRegistry.register) before logging its rows", e);
            }
            throw new IllegalStateException("cannot append " + rows.size() + " rows of " + view.id()
                    + " to the feature log: " + e.getMessage(), e);
        }
    }

    @Override
    public long delete(FeatureView view, String entityId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement delete = c.prepareStatement(
                     "DELETE FROM featurestore.feature_log WHERE view_id = ? AND entity_id = ?")) {
            delete.setString(1, view.id());
            delete.setString(2, entityId);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete entity rows of " + view.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<FeatureRow> history(FeatureView view, String entityId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("""
                     SELECT event_time, feature_values::text FROM featurestore.feature_log
                      WHERE view_id = ? AND entity_id = ? ORDER BY event_time""")) {
            select.setString(1, view.id());
            select.setString(2, entityId);
            List<FeatureRow> rows = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new FeatureRow(entityId, rs.getObject(1, OffsetDateTime.class).toInstant(),
                            FeatureValues.fromJson(view, rs.getString(2))));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the history of " + view.id() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes every logged row of the view whose feature {@code feature} has the value {@code value}: the
     * erasure of a person from a view keyed by something else (a payment log keyed by transaction, say).
     */
    public long deleteMatching(FeatureView view, String feature, String value) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement delete = c.prepareStatement(
                     "DELETE FROM featurestore.feature_log WHERE view_id = ? AND feature_values ->> ? = ?")) {
            delete.setString(1, view.id());
            delete.setString(2, feature);
            delete.setString(3, value);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete rows of " + view.id() + " by " + feature + ": " + e.getMessage(), e);
        }
    }

    /**
     * The rows of {@code view} as of {@code cutoff} that a SQL aggregation over the log computes: every
     * {@code ?} of {@code sql} is bound to the cutoff; the first column is the entity id and each other
     * column a feature of the view by its label, a NULL leaving the feature out. This is how a batch view is
     * materialized where its data lies.
     */
    public List<FeatureRow> aggregate(FeatureView view, String sql, Instant cutoff) {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            int parameters = select.getParameterMetaData().getParameterCount();
            for (int i = 1; i <= parameters; i++) {
                select.setObject(i, cutoff.atOffset(ZoneOffset.UTC));
            }
            List<FeatureRow> rows = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                String[] labels = new String[rs.getMetaData().getColumnCount() + 1];
                for (int column = 2; column < labels.length; column++) {
                    labels[column] = rs.getMetaData().getColumnLabel(column);
                }
                while (rs.next()) {
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (int column = 2; column < labels.length; column++) {
                        Object value = rs.getObject(column);
                        if (value != null) {
                            values.put(labels[column], value);
                        }
                    }
                    rows.add(new FeatureRow(rs.getString(1), cutoff, values));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot aggregate " + view.id() + " as of " + cutoff + ": " + e.getMessage(), e);
        }
    }

    /** The names of the log's partitions, for operators and tests. */
    public List<String> partitionTables() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("""
                     SELECT child.relname FROM pg_inherits
                       JOIN pg_class child ON child.oid = pg_inherits.inhrelid
                      WHERE pg_inherits.inhparent = 'featurestore.feature_log'::regclass
                      ORDER BY child.relname""");
             ResultSet rs = select.executeQuery()) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the feature log's partitions: " + e.getMessage(), e);
        }
    }

    private void ensurePartition(Connection c, MonthlyPartition partition) throws SQLException {
        if (!partition.hasOwnTable() || monthsPrepared.contains(partition.month())) {
            return;
        }
        try (Statement create = c.createStatement()) {
            create.execute(partition.createStatement());
        } catch (SQLException e) {
            if (partitionExists(c, partition)) {
                // Another writer created it at the same moment.
            } else if ("23514".equals(e.getSQLState())) {
                // The default partition already holds rows of this month; they stay there, and so
                // do new ones. Moving them is an operator's task (detach default, create, re-insert).
                LOG.warn("feature log partition {} not created, rows of that month stay in the default partition: {}",
                        partition.tableName(), e.getMessage());
            } else {
                throw e;
            }
        }
        monthsPrepared.add(partition.month());
    }

    private static boolean partitionExists(Connection c, MonthlyPartition partition) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            select.setString(1, "featurestore." + partition.tableName());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static Array textArray(Connection c, String[] values, int from, int to) throws SQLException {
        String[] slice = from == 0 && to == values.length ? values : Arrays.copyOfRange(values, from, to);
        return c.createArrayOf("text", slice);
    }
}
