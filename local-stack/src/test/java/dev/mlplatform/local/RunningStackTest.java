package dev.mlplatform.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunningStackTest {

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final RunningStack stack = new RunningStack(new Console(new PrintStream(output, true, StandardCharsets.UTF_8)));

    @Test
    void stopsPartsLastStartedFirstExactlyOnce() {
        List<String> stopped = new ArrayList<>();
        stack.add("Kafka", () -> stopped.add("Kafka"));
        stack.add("Flink", () -> stopped.add("Flink"));
        stack.add("gateway", () -> stopped.add("gateway"));

        assertThat(stack.stopAll(true)).isTrue();
        assertThat(stack.stopAll(true)).isFalse();

        assertThat(stopped).containsExactly("gateway", "Flink", "Kafka");
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("--  gateway").contains("stopped");
    }

    @Test
    void aPartThatFailsToStopDoesNotKeepTheOthersRunning() {
        List<String> stopped = new ArrayList<>();
        stack.add("Kafka", () -> stopped.add("Kafka"));
        stack.add("Flink", () -> {
            throw new IllegalStateException("job stuck");
        });

        stack.stopAll(false);

        assertThat(stopped).containsExactly("Kafka");
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("Flink did not stop cleanly: job stuck");
    }

    @Test
    void aPartStartedAfterTheStopBeganIsStoppedAtOnce() {
        stack.stopAll(false);
        List<String> stopped = new ArrayList<>();

        assertThatThrownBy(() -> stack.add("gateway", () -> stopped.add("gateway")))
                .isInstanceOf(LaunchException.class);
        assertThat(stopped).containsExactly("gateway");
        assertThat(stack.isStopping()).isTrue();
    }
}
