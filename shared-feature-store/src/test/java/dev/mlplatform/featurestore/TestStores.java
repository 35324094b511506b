package dev.mlplatform.featurestore;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mlplatform.core.db.Databases;
import dev.mlplatform.featurestore.registry.Entity;
import dev.mlplatform.featurestore.registry.Feature;
import dev.mlplatform.featurestore.registry.FeatureView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The real servers for integration tests: database {@code mlplatform_test} (created and migrated once
 * per JVM) and Redis. Tests share both with teammates' tests, so every test works on views of its own
 * (a random name) and removes what it wrote.
 */
public final class TestStores {

    public static final String DATABASE = "mlplatform_test";
    private static HikariDataSource dataSource;

    private TestStores() {
    }

    public static FeatureStoreConnection connection() {
        return FeatureStoreConnection.local(DATABASE);
    }

    public static synchronized DataSource dataSource() {
        if (dataSource == null) {
            Databases.createIfMissing("127.0.0.1", 5432, "postgres", "", DATABASE);
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(connection().jdbcUrl());
            config.setUsername("postgres");
            config.setPassword("");
            config.setMaximumPoolSize(4);
            config.setPoolName("featurestore-test");
            dataSource = new HikariDataSource(config);
            FeatureStore.migrate(dataSource);
        }
        return dataSource;
    }

    /** A name no other test run uses, e.g. {@code t_velocity_3f2a9c1b}. */
    public static String uniqueName(String prefix) {
        return "t_" + prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    public static FeatureView view(String prefix, Entity entity, Duration ttl, Feature... features) {
        return new FeatureView(uniqueName(prefix), 1, entity, List.of(features), ttl, "test", "test view");
    }

    /** Removes the views' log rows and registrations. */
    public static void forget(FeatureView... views) {
        try (Connection c = dataSource().getConnection();
             PreparedStatement log = c.prepareStatement("DELETE FROM featurestore.feature_log WHERE view_id = ?");
             PreparedStatement registry = c.prepareStatement("DELETE FROM featurestore.feature_views WHERE view_id = ?")) {
            for (FeatureView view : views) {
                log.setString(1, view.id());
                log.executeUpdate();
                registry.setString(1, view.id());
                registry.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
