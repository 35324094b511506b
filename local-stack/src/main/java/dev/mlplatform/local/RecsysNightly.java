package dev.mlplatform.local;

import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.schedule.DailyAt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The recommendation system's nightly batch on the local platform: {@code ./platform recs nightly} (Spark in its
 * own process: trains the item-item model over the lake, registers and promotes it, precomputes every user's
 * candidates into Redis), run once the lake holds data after a start, then every night at {@link #AT}.
 * recsys-service picks the new production model up within a minute; the candidates serve at once.
 */
final class RecsysNightly implements AutoCloseable {

    static final DailyAt AT = new DailyAt(LocalTime.of(2, 0));
    /** How long a start waits for the feature job to land the first Parquet files (a checkpoint or two). */
    static final Duration LAKE_WAIT = Duration.ofMinutes(5);

    private final PlatformConfig config;
    private final Console console;
    private final Clock clock;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "recs-nightly");
        thread.setDaemon(true);
        return thread;
    });
    /** The run in progress, stopped with the platform: no Spark process outlives it. */
    private volatile Process running;

    RecsysNightly(PlatformConfig config, Console console, Clock clock) {
        this.config = config;
        this.console = console;
        this.clock = clock;
    }

    /** Runs in the background: returns at once. */
    void schedule(Path lake) {
        executor.execute(() -> {
            if (awaitLake(lake)) {
                run();
            } else {
                console.info("  recs nightly: no Parquet in " + lake + " after " + LAKE_WAIT.toMinutes()
                        + " min; the nightly run at " + AT + " tries again");
            }
        });
        AT.schedule(executor, this::run, clock);
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        Process process = running;
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private boolean awaitLake(Path lake) {
        long deadline = System.nanoTime() + LAKE_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (hasParquet(lake.resolve("interactions"))) {
                return true;
            }
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    static boolean hasParquet(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".parquet"));
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code ./platform recs nightly --json}, its log in {@code .platform/logs/recs-nightly.log}. */
    private void run() {
        Path log = config.logDir().resolve("recs-nightly.log");
        Path result = config.stateDir().resolve("recs-nightly.json");
        long started = System.nanoTime();
        console.info("  recs nightly: training and precomputing candidates with Spark, log "
                + config.home().relativize(log));
        List<String> command = new ArrayList<>(List.of(config.home().resolve("platform").toString(), "recs", "nightly",
                "--json"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(config.home().toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectOutput(result.toFile());
        Map<String, String> env = builder.environment();
        env.put("PLATFORM_SKIP_BUILD", "1");
        env.put("DB_URL", config.jdbcUrl());
        env.put("DB_USER", config.dbUser());
        env.put("DB_PASSWORD", config.dbPassword());
        env.put("REDIS_URL", config.redisUrl());
        env.put("MODEL_ARTIFACT_DIR", config.artifactDir().toString());
        env.put("RECSYS_LAKE_DIR", config.stateDir().resolve("lake").toString());
        try {
            running = builder.start();
            int status = running.waitFor();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (status != 0) {
                console.info("  recs nightly: failed (exit " + status + "), see " + config.home().relativize(log));
                return;
            }
            JsonNode summary = EventJson.MAPPER.readTree(Files.readString(result));
            JsonNode ranker = summary.path("ranker");
            console.ready("recs nightly", summary.path("model").asString() + ", nDCG@10 "
                    + String.format("%.3f", summary.path("metrics").path("ndcg_at_10").asDouble()) + " on held-out "
                    + "interactions, candidates for " + summary.path("candidate_users").asLong() + " users; "
                    + summary.path("retrieval").path("model").asString("no retrieval model") + "; "
                    + ranker.path("model").asString() + (ranker.path("promoted").asBoolean() ? " in production" : " not promoted"),
                    took);
        } catch (IOException | RuntimeException e) {
            console.info("  recs nightly: could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
