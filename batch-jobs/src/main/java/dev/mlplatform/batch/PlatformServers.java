package dev.mlplatform.batch;

import dev.mlplatform.core.db.Databases;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where the platform keeps models and features, from the same environment variables as the services.
 *
 * @param jdbcUrl     {@code DB_URL}, default {@code jdbc:postgresql://127.0.0.1:5432/mlplatform}
 * @param dbUser      {@code DB_USER}, default postgres
 * @param dbPassword  {@code DB_PASSWORD}, default none
 * @param artifactDir {@code MODEL_ARTIFACT_DIR}, default {@code .platform/artifacts} under the platform's home
 * @param redisUri    {@code REDIS_URL}, default {@code redis://127.0.0.1:6379/0}
 */
record PlatformServers(String jdbcUrl, String dbUser, String dbPassword, Path artifactDir, String redisUri) {

    static PlatformServers fromEnvironment(Map<String, String> env, Path home) {
        String artifacts = setting(env, "MODEL_ARTIFACT_DIR", ".platform/artifacts");
        return new PlatformServers(setting(env, "DB_URL", "jdbc:postgresql://127.0.0.1:5432/mlplatform"),
                setting(env, "DB_USER", "postgres"), env.getOrDefault("DB_PASSWORD", ""), home.resolve(artifacts),
                setting(env, "REDIS_URL", "redis://127.0.0.1:6379/0"));
    }

    /** The database, created first when the server lacks it (as ./platform up does). */
    DataSource dataSource() {
        Properties url = Driver.parseURL(jdbcUrl, null);
        if (url == null) {
            throw new IllegalArgumentException("DB_URL is not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        Databases.createIfMissing(url.getProperty("PGHOST"), Integer.parseInt(url.getProperty("PGPORT")), dbUser,
                dbPassword, url.getProperty("PGDBNAME"));
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl);
        dataSource.setUser(dbUser);
        dataSource.setPassword(dbPassword);
        return dataSource;
    }

    private static String setting(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
