package dev.mlplatform.jobs.recsys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.jobs.recsys.RecsysFeatureJob.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecsysFeatureJobConfigTest {

    @Test
    void defaultsToThisMachinesServersThePublicTopicsAndTheLocalLake() {
        Config config = Config.defaults();

        assertThat(config.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.interactionsTopic()).isEqualTo("recsys.interactions.v1");
        assertThat(config.itemsTopic()).isEqualTo("recsys.items.v1");
        assertThat(config.deadLetterTopic()).isEqualTo("recsys.interactions.dlq.v1");
        assertThat(config.groupId()).isEqualTo("recsys-features-job");
        assertThat(config.lakeDir()).isEqualTo(Path.of(".platform/lake"));
        assertThat(config.unknownItemGrace()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.parallelism()).isEqualTo(2);
        assertThat(config.featureStore().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/mlplatform");
    }

    @Test
    void takesArgumentsBeforeEnvironmentVariables() {
        Config config = Config.fromArgs(
                new String[] {"--lake-dir", "/data/lake", "--unknown-item-grace", "90s"},
                Map.of("RECSYS_LAKE_DIR", "/ignored", "RECSYS_FEATURES_MAX_OUT_OF_ORDERNESS", "2s",
                        "RECSYS_FEATURES_CHECKPOINT_INTERVAL", "30s", "KAFKA_BOOTSTRAP_SERVERS", "kafka:9093",
                        "JDBC_URL", "jdbc:postgresql://db:5432/recs"));

        assertThat(config.lakeDir()).isEqualTo(Path.of("/data/lake"));
        assertThat(config.unknownItemGrace()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.maxOutOfOrderness()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.bootstrapServers()).isEqualTo("kafka:9093");
        assertThat(config.featureStore().jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/recs");
    }

    @Test
    void takesTheLakeDirectoryFromTheEnvironment() {
        assertThat(Config.fromArgs(new String[0], Map.of("RECSYS_LAKE_DIR", "/srv/lake")).lakeDir())
                .isEqualTo(Path.of("/srv/lake"));
    }

    @Test
    void namesTheSettingThatIsWrong() {
        assertThatThrownBy(() -> Config.fromArgs(new String[] {"--unknown-item-grace", "a while"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--unknown-item-grace")
                .hasMessageContaining("a while");
        assertThatThrownBy(() -> Config.fromArgs(new String[] {"--unknown-item-grace", "0s"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknownItemGrace");
        assertThatThrownBy(() -> Config.fromArgs(new String[0], Map.of("RECSYS_FEATURES_PARALLELISM", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parallelism");
    }
}
