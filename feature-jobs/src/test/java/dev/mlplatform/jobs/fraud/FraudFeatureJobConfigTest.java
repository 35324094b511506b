package dev.mlplatform.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.jobs.fraud.FraudFeatureJob.Config;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FraudFeatureJobConfigTest {

    @Test
    void defaultsToThisMachinesServersAndThePublicTopics() {
        Config config = Config.defaults();

        assertThat(config.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.transactionsTopic()).isEqualTo("fraud.transactions.v1");
        assertThat(config.lateTopic()).isEqualTo("fraud.transactions.late.v1");
        assertThat(config.deadLetterTopic()).isEqualTo("fraud.transactions.dlq.v1");
        assertThat(config.groupId()).isEqualTo("fraud-features-job");
        assertThat(config.maxOutOfOrderness()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.parallelism()).isEqualTo(2);
        assertThat(config.featureStore().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/mlplatform");
    }

    @Test
    void takesArgumentsBeforeEnvironmentVariables() {
        Config config = Config.fromArgs(
                new String[] {"--bootstrap-servers", "kafka:9093", "--max-out-of-orderness", "1500ms"},
                Map.of("KAFKA_BOOTSTRAP_SERVERS", "ignored:1", "FRAUD_FEATURES_CHECKPOINT_INTERVAL", "1min",
                        "FRAUD_FEATURES_PARALLELISM", "4", "REDIS_URI", "redis://cache:6379/1"));

        assertThat(config.bootstrapServers()).isEqualTo("kafka:9093");
        assertThat(config.maxOutOfOrderness()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.parallelism()).isEqualTo(4);
        assertThat(config.featureStore().redisUri()).isEqualTo("redis://cache:6379/1");
    }

    @Test
    void namesTheSettingThatIsWrong() {
        assertThatThrownBy(() -> Config.fromArgs(new String[] {"--idle-timeout", "soon"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--idle-timeout").hasMessageContaining("soon");
        assertThatThrownBy(() -> Config.fromArgs(new String[] {"--max-out-of-orderness", "0s"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxOutOfOrderness");
        assertThatThrownBy(() -> Config.fromArgs(new String[0], Map.of("FRAUD_FEATURES_PARALLELISM", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parallelism");
        assertThatThrownBy(() -> Config.fromArgs(new String[] {"--parallelism", "two"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--parallelism").hasMessageContaining("two");
    }
}
