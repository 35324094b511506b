package dev.mlplatform.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Open-loop load on a REST endpoint: requests of a {@link RequestSource} (fraud scoring, recommendations) at a
 * constant rate through the gateway, latency from each request's intended send time (coordinated omission
 * corrected), the warm-up left out.
 */
public final class RestBench {

    /**
     * What to run.
     *
     * @param connections requests on the wire at most (HTTP/1.1 keep-alive connections)
     * @param maxQueued   requests that may wait for a connection before new ones are refused
     */
    public record Config(double rate, Duration duration, Duration warmup, Duration timeout, int connections,
                         int maxQueued) {
    }

    /**
     * What was measured, after the warm-up.
     *
     * @param achievedPerSecond successful responses per second of the measured period
     * @param errors            failed requests by HTTP status or exception name
     * @param latency           from the intended send time: what a client on that schedule saw
     * @param uncorrected       from the actual send time, for comparison
     */
    public record Result(String runId, double targetRate, double durationSeconds, long sent, long ok,
                         double achievedPerSecond, Map<String, Long> errors, LatencySummary latency,
                         LatencySummary uncorrected, Histogram histogram, Histogram uncorrectedHistogram) {
    }

    private final Platform platform;
    private final Config config;
    private final PrintStream progress;

    public RestBench(Platform platform, Config config, PrintStream progress) {
        this.platform = platform;
        this.config = config;
        this.progress = progress;
    }

    /** The gateway's URL of {@code path}: {@code path} may hold placeholders such as {@code {userId}}. */
    static String endpoint(Platform platform, String path) {
        return platform.gateway().toString().replaceAll("/+$", "") + path;
    }

    /** Sends the requests of {@code requests}; {@code runId} names the run in the progress lines and results. */
    public Result run(String runId, RequestSource requests) throws InterruptedException {
        LatencyRecorder warm = new LatencyRecorder();
        LatencyRecorder measured = new LatencyRecorder();
        Counts errors = new Counts();
        LongAdder ok = new LongAdder();
        LongAdder sentMeasured = new LongAdder();
        AtomicLong lastDone = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        OpenLoop loop = new OpenLoop(config.rate(), config.warmup(), config.duration());
        Map<String, String> headers = Map.of("Accept", "application/json", "X-API-Key", platform.apiKey());

        progress.printf("REST bench %s: %,.0f requests/s for %ds after a %ds warm-up, %d connections, to %s %s%n",
                runId, config.rate(), config.duration().toSeconds(), config.warmup().toSeconds(),
                config.connections(), requests.method(), endpoint(platform, requests.target()));

        long measureStart;
        try (RequestPool pool = new RequestPool(platform.gateway(), config.connections(), config.timeout(),
                config.maxQueued())) {
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            measureStart = loop.intendedNanos(start, (long) Math.ceil(config.warmup().toNanos() * config.rate() / 1e9));
            Thread sender = new Thread(() -> loop.run(start, (index, intended, isMeasured) -> {
                if (isMeasured) {
                    sentMeasured.increment();
                }
                RequestSource.Request request = requests.next();
                byte[] bytes = Http1Connection.request(request.method(), platform.gateway().resolve(request.path()),
                        "application/json", headers, request.body());
                boolean queued = pool.submit(bytes, outcome -> {
                    if (!isMeasured) {
                        if (outcome.ok()) {
                            warm.record(intended, outcome.sentNanos(), outcome.doneNanos());
                        }
                        return;
                    }
                    lastDone.accumulateAndGet(outcome.doneNanos(), Math::max);
                    if (outcome.ok()) {
                        ok.increment();
                        measured.record(intended, outcome.sentNanos(), outcome.doneNanos());
                    } else {
                        errors.increment(outcome.failure());
                    }
                });
                if (!queued && isMeasured) {
                    // So far behind that holding more would measure the generator, not the platform.
                    errors.increment("not sent: " + config.maxQueued() + " waiting");
                }
            }, stop::get), "rest-bench-sender");
            sender.setDaemon(true);
            sender.start();

            long second = 0;
            while (sender.isAlive()) {
                sender.join(1000);
                second++;
                boolean warming = System.nanoTime() < measureStart;
                Histogram interval = (warming ? warm : measured).interval();
                LatencySummary s = LatencySummary.ofMicros(interval);
                progress.printf("  %3ds %s %,6d ok/s  p50 %s  p99 %s  max %s  in flight %d  waiting %,d  errors %,d%n",
                        second, warming ? "warm-up" : "       ", interval.getTotalCount(),
                        LatencySummary.format(s.p50Ms()), LatencySummary.format(s.p99Ms()),
                        LatencySummary.format(s.maxMs()), pool.active(), pool.waiting(), errors.total());
            }
            // The requests due last may still wait for a connection: they get the request timeout to go
            // out; what never got a connection by then counts as an error.
            int unsent = pool.finish(config.timeout().plusSeconds(2));
            for (int i = 0; i < unsent; i++) {
                errors.increment("not sent within the timeout after the run");
            }
        }
        double seconds = config.duration().toNanos() / 1e9;
        // Throughput over the measured period, up to the last measured response.
        double measuredSeconds = Math.max(seconds, (lastDone.get() - measureStart) / 1e9);
        Histogram histogram = measured.corrected();
        Histogram raw = measured.uncorrected();
        return new Result(runId, config.rate(), seconds, sentMeasured.sum(), ok.sum(), ok.sum() / measuredSeconds,
                errors.snapshot(), LatencySummary.ofMicros(histogram), LatencySummary.ofMicros(raw), histogram, raw);
    }
}
