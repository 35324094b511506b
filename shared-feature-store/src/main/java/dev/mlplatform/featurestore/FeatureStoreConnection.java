package dev.mlplatform.featurestore;

import dev.mlplatform.featurestore.online.RedisOnlineStore;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the feature store lives: Redis for the online store, Postgres for the registry and the
 * offline log. Serializable, so that a Flink sink can carry it to its writers, which open the
 * connections themselves.
 *
 * @param redisUri     e.g. {@code redis://127.0.0.1:6379/0}
 * @param jdbcUrl      e.g. {@code jdbc:postgresql://127.0.0.1:5432/mlplatform}
 * @param redisTimeout bound on one batch's round trip to Redis
 */
public record FeatureStoreConnection(String redisUri, String jdbcUrl, String jdbcUser, String jdbcPassword,
                                     Duration redisTimeout) implements Serializable {

    public FeatureStoreConnection {
        Objects.requireNonNull(redisUri, "redisUri");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(jdbcUser, "jdbcUser");
        jdbcPassword = jdbcPassword == null ? "" : jdbcPassword;
        redisTimeout = redisTimeout == null ? RedisOnlineStore.DEFAULT_TIMEOUT : redisTimeout;
        if (redisTimeout.isNegative() || redisTimeout.isZero()) {
            throw new IllegalArgumentException("redisTimeout must be positive, got " + redisTimeout);
        }
    }

    /** With the default Redis timeout ({@link RedisOnlineStore#DEFAULT_TIMEOUT}). */
    public FeatureStoreConnection(String redisUri, String jdbcUrl, String jdbcUser, String jdbcPassword) {
        this(redisUri, jdbcUrl, jdbcUser, jdbcPassword, null);
    }

    /** The servers of this machine: Redis on 6379, Postgres on 5432 as {@code postgres} without password. */
    public static FeatureStoreConnection local(String database) {
        return new FeatureStoreConnection("redis://127.0.0.1:6379/0",
                "jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
    }

    public FeatureStoreConnection withRedisTimeout(Duration timeout) {
        return new FeatureStoreConnection(redisUri, jdbcUrl, jdbcUser, jdbcPassword, timeout);
    }

    @Override
    public String toString() {
        // Never print the password (logs, Flink's job graph description, exceptions).
        return "FeatureStoreConnection[redisUri=" + redisUri.replaceAll("//[^@/]*@", "//***@") + ", jdbcUrl="
                + jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***") + ", jdbcUser=" + jdbcUser + ", redisTimeout=" + redisTimeout + "]";
    }
}
