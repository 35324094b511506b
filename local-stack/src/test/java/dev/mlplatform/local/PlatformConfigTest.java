package dev.mlplatform.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlatformConfigTest {

    @Test
    void defaultsToTheLocalServersAndGeneratesAKey() {
        PlatformConfig config = PlatformConfig.fromEnvironment(Path.of("/repo"), Map.of());

        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/mlplatform");
        assertThat(config.redisUrl()).isEqualTo("redis://127.0.0.1:6379/0");
        assertThat(config.kafkaBootstrap()).isEqualTo("localhost:9092");
        assertThat(config.gatewayUrl()).isEqualTo("http://localhost:8080");
        assertThat(config.ports()).containsKeys(8080, 8081, 9092, config.flinkRestPort());
        assertThat(config.apiKeyGenerated()).isTrue();
        assertThat(config.apiKey()).matches("mlp_dev_[0-9a-f]{32}");
        assertThat(PlatformConfig.fromEnvironment(Path.of("/repo"), Map.of()).apiKey()).isNotEqualTo(config.apiKey());
        assertThat(config.apiKeyFile()).isEqualTo(Path.of("/repo/.platform/api-key"));
        assertThat(config.toString()).doesNotContain(config.apiKey());
    }

    @Test
    void takesTheKeyAndServersFromTheEnvironment() {
        PlatformConfig config = PlatformConfig.fromEnvironment(Path.of("/repo"), Map.of(
                "PLATFORM_API_KEY", " my-key ", "DB_HOST", "db.local", "DB_PORT", "5433", "DB_NAME", "other",
                "REDIS_PORT", "6380"));

        assertThat(config.apiKey()).isEqualTo("my-key");
        assertThat(config.apiKeyGenerated()).isFalse();
        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:5433/other");
        assertThat(config.redisUrl()).isEqualTo("redis://127.0.0.1:6380/0");
    }

    @Test
    void aPortThatIsNotANumberIsNamed() {
        assertThatThrownBy(() -> PlatformConfig.fromEnvironment(Path.of("/repo"), Map.of("REDIS_PORT", "six")))
                .isInstanceOf(LaunchException.class).hasMessage("REDIS_PORT must be a port number, got 'six'");
    }
}
