package dev.mlplatform.core.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The project creates its own database and each module owns one schema, migrated by Flyway from
 * {@code classpath:db/<schema>}, with its own history table, so modules evolve independently.
 */
public final class Databases {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern POSTGRES_URL =
            Pattern.compile("jdbc:postgresql://([^:/?,]+)(?::(\\d+))?/([A-Za-z0-9_]+).*");

    private Databases() {
    }

    /**
     * Creates the database a service's JDBC URL names when it does not exist; a URL of another form (several
     * hosts, another driver) is left to whoever manages that database.
     */
    public static void createIfMissing(String jdbcUrl, String user, String password) {
        Matcher url = POSTGRES_URL.matcher(jdbcUrl);
        if (url.matches()) {
            createIfMissing(url.group(1), url.group(2) == null ? 5432 : Integer.parseInt(url.group(2)), user,
                    password, url.group(3));
        }
    }

    /**
     * Creates {@code database} on the server at {@code host:port} when it does not exist, through the
     * {@code postgres} maintenance database.
     */
    public static void createIfMissing(String host, int port, String user, String password, String database) {
        if (!NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        String url = "jdbc:postgresql://" + host + ":" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(url, user, password);
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE " + database);
            } catch (SQLException e) {
                // Another process created it between the check and the create: fine.
                if (!"42P04".equals(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + " at " + host + ":" + port
                    + ": " + e.getMessage(), e);
        }
    }

    /** Applies the migrations in {@code classpath:db/<schema>} to {@code schema}. */
    public static void migrate(DataSource dataSource, String schema) {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .createSchemas(true)
                .locations("classpath:db/" + schema)
                .table("flyway_history")
                .load()
                .migrate();
    }
}
