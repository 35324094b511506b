package dev.mlplatform.featurestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.featurestore.online.RedisOnlineStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FeatureStoreConnectionTest {

    @Test
    void neverPrintsPasswords() {
        FeatureStoreConnection connection = new FeatureStoreConnection("redis://:redis-secret@cache:6379/0",
                "jdbc:postgresql://db/mlplatform?user=app&password=url-secret", "app", "jdbc-secret");

        assertThat(connection.toString())
                .doesNotContain("redis-secret", "url-secret", "jdbc-secret")
                .contains("cache:6379", "jdbc:postgresql://db/mlplatform", "app");
    }

    @Test
    void survivesJavaSerializationAsFlinkShipsIt() throws Exception {
        FeatureStoreConnection connection = FeatureStoreConnection.local("mlplatform")
                .withRedisTimeout(Duration.ofMillis(250));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(connection);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(connection);
        }
    }

    @Test
    void defaultsTheRedisTimeoutAndRefusesANonPositiveOne() {
        assertThat(FeatureStoreConnection.local("x").redisTimeout())
                .isEqualTo(RedisOnlineStore.DEFAULT_TIMEOUT);
        assertThatThrownBy(() -> FeatureStoreConnection.local("x").withRedisTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
