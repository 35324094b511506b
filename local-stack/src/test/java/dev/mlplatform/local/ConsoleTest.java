package dev.mlplatform.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ConsoleTest {

    @Test
    void alignsComponentLinesWithTheirTime() {
        String line = Console.line("ok", "Kafka", "localhost:9092", Duration.ofMillis(2_950));
        assertThat(line).startsWith("  ok  Kafka          localhost:9092").endsWith("3.0 s");
        assertThat(Console.line("..", "gateway", "starting", null)).isEqualTo("  ..  gateway        starting");
    }

    @Test
    void aJobIsRunningOnlyWhenEveryTaskIs() {
        JsonMapper json = JsonMapper.builder().build();
        assertThat(FlinkJobs.allTasksRunning(json.readTree(
                "{\"vertices\":[{\"status\":\"RUNNING\"},{\"status\":\"RUNNING\"}]}"))).isTrue();
        assertThat(FlinkJobs.allTasksRunning(json.readTree(
                "{\"vertices\":[{\"status\":\"RUNNING\"},{\"status\":\"DEPLOYING\"}]}"))).isFalse();
        assertThat(FlinkJobs.allTasksRunning(json.readTree("{\"vertices\":[]}"))).isFalse();
        assertThat(FlinkJobs.allTasksRunning(json.readTree("{}"))).isFalse();
    }
}
