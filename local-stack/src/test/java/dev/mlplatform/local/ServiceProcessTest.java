package dev.mlplatform.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceProcessTest {

    @Test
    void aServiceThatDiesWhileStartingIsReportedWithTheEndOfItsLog(@TempDir Path dir) throws Exception {
        ServiceProcess process = ServiceProcess.start("failing", List.of("sh", "-c",
                        "for i in $(seq 1 50); do echo line $i; done; echo \"port $APP_PORT is taken\"; exit 3"),
                Map.of("APP_PORT", "8081"), dir, dir.resolve("logs"), dir.resolve("pids"));

        assertThatThrownBy(() -> process.awaitReady(URI.create("http://127.0.0.1:" + PrerequisitesTest.freePort()
                + "/ready"), Duration.ofSeconds(30)))
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining("failing exited with status 3 while starting")
                .hasMessageContaining("port 8081 is taken")
                .hasMessageContaining("line 50")
                .hasMessageNotContaining("line 10\n");
        assertThat(Files.readString(dir.resolve("logs").resolve("failing.log"))).contains("line 1\n");
        process.close();
    }

    @Test
    void stoppingEndsTheProcessAndEverythingItStarted(@TempDir Path dir) throws Exception {
        ServiceProcess process = ServiceProcess.start("sleeper", List.of("sh", "-c", "sleep 300 & sleep 300 & wait"),
                Map.of(), dir, dir.resolve("logs"), dir.resolve("pids"));
        Path pidFile = dir.resolve("pids").resolve("sleeper.pid");
        assertThat(Files.readString(pidFile).strip()).isEqualTo(String.valueOf(process.pid()));
        List<ProcessHandle> children = awaitChildren(process.pid(), 2);

        process.stop(Duration.ofSeconds(10));

        assertThat(process.isAlive()).isFalse();
        for (ProcessHandle child : children) {
            child.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(child.isAlive()).isFalse();
        }
        assertThat(pidFile).doesNotExist();
    }

    @Test
    void aServiceThatNeverAnswersTimesOutWithItsLog(@TempDir Path dir) throws Exception {
        try (ServiceProcess process = ServiceProcess.start("silent", List.of("sh", "-c", "echo waiting; sleep 300"),
                Map.of(), dir, dir.resolve("logs"), dir.resolve("pids"))) {
            assertThatThrownBy(() -> process.awaitReady(URI.create("http://127.0.0.1:" + PrerequisitesTest.freePort()
                    + "/ready"), Duration.ofMillis(500)))
                    .isInstanceOf(LaunchException.class)
                    .hasMessageContaining("silent was not ready after 0.5 s")
                    .hasMessageContaining("waiting");
        }
    }

    @Test
    void tailsOnlyTheLastLines(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("x.log");
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 100_000; i++) {
            text.append("entry ").append(i).append('\n');
        }
        Files.writeString(log, text);
        assertThat(ServiceProcess.tail(log, 3)).isEqualTo("    entry 99998\n    entry 99999\n    entry 100000");
        assertThat(ServiceProcess.tail(dir.resolve("none.log"), 3)).isEqualTo("(no log)");
    }

    @Test
    void showsStructuredLogLinesAsTimeLevelMessageAndError() {
        String ecs = "{\"@timestamp\":\"2026-11-26T23:26:43.104789145Z\",\"log\":{\"level\":\"ERROR\",\"logger\":\"x\"},"
                + "\"message\":\"Application run failed\",\"error\":{\"type\":\"java.net.ConnectException\","
                + "\"message\":\"Connection refused\",\"stack_trace\":\"at a\\nat b\"}}";
        assertThat(ServiceProcess.readable(ecs))
                .isEqualTo("23:26:43.104 ERROR Application run failed: java.net.ConnectException Connection refused");
        assertThat(ServiceProcess.readable("plain text line")).isEqualTo("plain text line");
        assertThat(ServiceProcess.readable("{not json")).isEqualTo("{not json");
        assertThat(ServiceProcess.readable("x".repeat(1000))).hasSize(400);
    }

    private static List<ProcessHandle> awaitChildren(long pid, int count) throws InterruptedException {
        ProcessHandle parent = ProcessHandle.of(pid).orElseThrow();
        for (int i = 0; i < 100; i++) {
            List<ProcessHandle> children = parent.descendants().toList();
            if (children.size() >= count) {
                return children;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the shell did not start its children");
    }
}
