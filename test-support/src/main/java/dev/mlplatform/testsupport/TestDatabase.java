package dev.mlplatform.testsupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mlplatform.core.db.Databases;
import javax.sql.DataSource;

/**
 * The database tests run against: {@value #NAME} on the local PostgreSQL server, created when missing,
 * behind one small connection pool per JVM. The server is found through the libpq variables
 * {@code PGHOST}, {@code PGPORT}, {@code PGUSER} and {@code PGPASSWORD}, defaulting to
 * {@code postgres@127.0.0.1:5432} without a password.
 *
 * <p>Each module migrates its own schema ({@link #migrated(String)}) and cleans up the rows it wrote:
 * tests of other modules run against the same database at the same time.
 */
public final class TestDatabase {

    public static final String NAME = "mlplatform_test";

    private static HikariDataSource dataSource;

    private TestDatabase() {
    }

    /** The shared pool, created (and the database with it) on first use and closed when the JVM exits. */
    public static synchronized DataSource dataSource() {
        if (dataSource == null) {
            Databases.createIfMissing(host(), port(), user(), password(), NAME);
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(jdbcUrl());
            config.setUsername(user());
            config.setPassword(password());
            // Several test JVMs share the server: keep each one's footprint small.
            config.setMaximumPoolSize(4);
            config.setMinimumIdle(0);
            config.setPoolName("test-database");
            HikariDataSource created = new HikariDataSource(config);
            Runtime.getRuntime().addShutdownHook(new Thread(created::close, "test-database-close"));
            dataSource = created;
        }
        return dataSource;
    }

    /** {@link #dataSource()} with {@code schema} migrated from {@code classpath:db/<schema>}. */
    public static DataSource migrated(String schema) {
        DataSource ds = dataSource();
        Databases.migrate(ds, schema);
        return ds;
    }

    public static String jdbcUrl() {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + NAME;
    }

    public static String host() {
        return env("PGHOST", "127.0.0.1");
    }

    public static int port() {
        return Integer.parseInt(env("PGPORT", "5432"));
    }

    public static String user() {
        return env("PGUSER", "postgres");
    }

    public static String password() {
        return env("PGPASSWORD", "");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
