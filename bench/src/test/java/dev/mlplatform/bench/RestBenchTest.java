package dev.mlplatform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestBenchTest {

    @Test
    void measuresOnlyTheRequestsAfterTheWarmUpAndCountsErrorsByStatus(@TempDir Path home) throws Exception {
        try (FakeGateway gateway = new FakeGateway(published -> { })) {
            Platform platform = new Platform(gateway.uri(), "localhost:1", FakeGateway.KEY, home);
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            // 200 requests/s: 100 in the half-second warm-up, then 200 measured.
            RestBench.Config config = new RestBench.Config(200, Duration.ofSeconds(1), Duration.ofMillis(500),
                    Duration.ofSeconds(10), 8, 1000);

            RestBench.Result result = run(platform, config, new PrintStream(progress, true, StandardCharsets.UTF_8));

            assertThat(gateway.wrongKey).hasValue(0);
            assertThat(gateway.invalid).isEmpty();
            assertThat(result.sent()).isEqualTo(200);
            // Sequence numbers 100..299 were measured; 100, 110, ..., 290 were answered 503.
            assertThat(result.errors()).containsExactly(java.util.Map.entry("HTTP 503", 20L));
            assertThat(result.ok()).isEqualTo(180);
            assertThat(result.latency().count()).isEqualTo(180);
            assertThat(result.uncorrected().count()).isEqualTo(180);
            assertThat(result.latency().p50Ms()).isGreaterThan(0);
            assertThat(result.latency().maxMs()).isGreaterThanOrEqualTo(result.uncorrected().maxMs() - 1);
            assertThat(result.achievedPerSecond()).isGreaterThan(0).isLessThanOrEqualTo(180);
            assertThat(progress.toString(StandardCharsets.UTF_8)).contains("REST bench bench-").contains("warm-up");
        }
    }

    @Test
    void countsAConnectionFailureByItsName(@TempDir Path home) throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Platform platform = new Platform(java.net.URI.create("http://127.0.0.1:" + closedPort), "localhost:1",
                FakeGateway.KEY, home);
        RestBench.Config config = new RestBench.Config(50, Duration.ofMillis(200), Duration.ZERO,
                Duration.ofSeconds(5), 4, 1000);

        RestBench.Result result = run(platform, config, new PrintStream(new ByteArrayOutputStream()));

        assertThat(result.ok()).isZero();
        assertThat(result.errors()).containsOnlyKeys("ConnectException");
        assertThat(result.errors().get("ConnectException")).isEqualTo(result.sent()).isEqualTo(10);
    }

    /** Scores simulated transactions, as {@code bench rest} does. */
    private static RestBench.Result run(Platform platform, RestBench.Config config, PrintStream progress)
            throws InterruptedException {
        String runId = Traffic.newRunId("bench", Clock.systemUTC().instant());
        try (Traffic traffic = new Traffic(runId, 3, Clock.systemUTC(), 5_000)) {
            return new RestBench(platform, config, progress).run(runId, new ScoreRequests(traffic));
        }
    }
}
