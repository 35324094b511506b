package dev.mlplatform.featurestore;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mlplatform.core.db.Databases;
import dev.mlplatform.featurestore.offline.PostgresOfflineStore;
import dev.mlplatform.featurestore.online.RedisOnlineStore;
import dev.mlplatform.featurestore.registry.Entity;
import dev.mlplatform.featurestore.registry.FeatureRegistry;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.featurestore.training.PointInTimeTrainingSetBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The feature store as one object: registry, online store (Redis), offline log (Postgres) and
 * training-set builder, with the operations that span them: writing a batch to both stores and
 * erasing an entity everywhere.
 */
public final class FeatureStore implements AutoCloseable {

    /** The Postgres schema this module owns, migrated from {@code classpath:db/featurestore}. */
    public static final String SCHEMA = "featurestore";

    private final FeatureRegistry registry;
    private final RedisOnlineStore online;
    private final PostgresOfflineStore offline;
    private final PointInTimeTrainingSetBuilder trainingSets;
    private final ErasureLog erasures;
    private final HikariDataSource ownedDataSource;

    private FeatureStore(DataSource dataSource, RedisOnlineStore online, HikariDataSource ownedDataSource) {
        this.registry = new FeatureRegistry(dataSource);
        this.online = online;
        this.offline = new PostgresOfflineStore(dataSource);
        this.trainingSets = new PointInTimeTrainingSetBuilder(dataSource);
        this.erasures = new ErasureLog(dataSource);
        this.ownedDataSource = ownedDataSource;
    }

    /** Applies the feature store's migrations to the schema {@value #SCHEMA}. */
    public static void migrate(DataSource dataSource) {
        Databases.migrate(dataSource, SCHEMA);
    }

    /**
     * Opens a small connection pool and a Redis connection, and migrates the schema. The database must
     * exist. Closing the store closes both.
     */
    public static FeatureStore open(FeatureStoreConnection connection) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(connection.jdbcUrl());
        config.setUsername(connection.jdbcUser());
        config.setPassword(connection.jdbcPassword());
        config.setPoolName("featurestore");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            migrate(dataSource);
            return new FeatureStore(dataSource, RedisOnlineStore.connect(connection), dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /**
     * A store on a data source the caller owns (e.g. a service's pool) and an online store that closing
     * this store closes. The schema must be migrated ({@link #migrate}).
     */
    public static FeatureStore using(DataSource dataSource, RedisOnlineStore online) {
        return new FeatureStore(dataSource, online, null);
    }

    public FeatureRegistry registry() {
        return registry;
    }

    public RedisOnlineStore online() {
        return online;
    }

    public PostgresOfflineStore offline() {
        return offline;
    }

    public PointInTimeTrainingSetBuilder trainingSets() {
        return trainingSets;
    }

    /** Registers the view (see {@link FeatureRegistry#register}). */
    public FeatureView register(FeatureView view) {
        return registry.register(view);
    }

    /**
     * Logs the rows offline, then writes them online. Both writes are idempotent, so when either fails
     * the whole batch can be written again. The view must be registered. Online, only each entity's
     * latest row of the batch is written: the store keeps the latest event time anyway, and a job that
     * emits a row at every change of an entity would otherwise send Redis rows it immediately replaces.
     */
    public void write(FeatureView view, List<FeatureRow> rows) {
        offline.append(view, rows);
        online.writeBatch(view, latestPerEntity(rows));
    }

    /** Logs the rows offline only: a view that is a source for batch views, never read online. */
    public void log(FeatureView view, List<FeatureRow> rows) {
        offline.append(view, rows);
    }

    /**
     * Materializes a batch view as of {@code cutoff}: the rows {@code sql} aggregates from the offline log
     * (see {@link PostgresOfflineStore#aggregate}), written to both stores like any other rows. Running it
     * twice for one cutoff writes the same rows again, which changes nothing. Returns the rows written.
     */
    public int materialize(FeatureView view, String sql, Instant cutoff) {
        List<FeatureRow> rows = offline.aggregate(view, sql, cutoff);
        write(view, rows);
        return rows.size();
    }

    private static List<FeatureRow> latestPerEntity(List<FeatureRow> rows) {
        Map<String, FeatureRow> latest = new LinkedHashMap<>();
        for (FeatureRow row : rows) {
            // An equal event time replaces, as in the store: the later row of an instant is its correction.
            latest.merge(row.entityId(), row, (kept, next) -> next.eventTime().isBefore(kept.eventTime()) ? kept : next);
        }
        return latest.size() == rows.size() ? rows : List.copyOf(latest.values());
    }

    /**
     * Removes the entity from every registered view of its entity type (all versions), online and
     * offline (GDPR erasure), and records the request in the {@link ErasureLog}, where the jobs that
     * rewrite the data lake find it. Writers still producing values for the entity would bring it
     * back: stop its events first (for cards, the token is no longer issued).
     */
    public ErasureReport erase(Entity entity, String entityId) {
        Instant requestedAt = Instant.now();
        List<FeatureView> views = registry.viewsOf(entity.name());
        List<String> onlineRemoved = new ArrayList<>();
        Map<String, Long> offlineRemoved = new LinkedHashMap<>();
        for (FeatureView view : views) {
            long rows = offline.delete(view, entityId);
            if (rows > 0) {
                offlineRemoved.put(view.id(), rows);
            }
            if (online.deleteCounting(view, entityId)) {
                onlineRemoved.add(view.id());
            }
        }
        erasures.record(entity.name(), entityId, requestedAt);
        return new ErasureReport(entity.name(), entityId, views.stream().map(FeatureView::id).toList(),
                onlineRemoved, offlineRemoved, requestedAt);
    }

    @Override
    public void close() {
        try {
            online.close();
        } finally {
            if (ownedDataSource != null) {
                ownedDataSource.close();
            }
        }
    }
}
