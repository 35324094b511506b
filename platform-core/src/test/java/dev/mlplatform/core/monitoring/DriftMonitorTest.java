package dev.mlplatform.core.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DriftMonitorTest {

    private static final int WINDOW = 5_000;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SplittableRandom random = new SplittableRandom(11);

    /** A standard normal feature "x", fitted on 10,000 draws. */
    private DriftReference normalReference() {
        double[] sample = new double[10_000];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = random.nextGaussian();
        }
        return DriftReference.fit(Map.of("x", sample), DriftReference.DEFAULT_BINS);
    }

    private void observeNormal(DriftMonitor monitor, double mean, int count) {
        for (int i = 0; i < count; i++) {
            monitor.observe(0, mean + random.nextGaussian());
        }
    }

    private double gauge(String name) {
        return meters.get(name).tag("feature", "x").tag("version", "m:1").gauge().value();
    }

    @Test
    void theSameDistributionStaysUnderPointOneAndAShiftedOneCrossesPointTwo() {
        try (DriftMonitor monitor = new DriftMonitor(normalReference(), WINDOW, meters, "test", Tags.of("version", "m:1"))) {
            observeNormal(monitor, 0, WINDOW);
            assertThat(monitor.psi("x")).isLessThan(0.1);
            assertThat(monitor.ks("x")).isLessThan(0.05);

            // Half a standard deviation: the window slides over entirely to the new traffic.
            observeNormal(monitor, 0.5, WINDOW);
            assertThat(monitor.psi("x")).isGreaterThan(0.2);
            assertThat(monitor.ks("x")).isGreaterThan(0.15);

            observeNormal(monitor, 0, WINDOW);
            assertThat(monitor.psi("x")).isLessThan(0.1);
        }
    }

    @Test
    void publishesTheStatisticsAndTheWindowSizeAsGaugesPerFeature() {
        try (DriftMonitor monitor = new DriftMonitor(normalReference(), WINDOW, meters, "test", Tags.of("version", "m:1"))) {
            assertThat(gauge("test.drift.psi")).isNaN();
            assertThat(gauge("test.drift.window.observations")).isZero();

            observeNormal(monitor, 1, 300);

            assertThat(gauge("test.drift.psi")).isEqualTo(monitor.psi("x")).isGreaterThan(0.2);
            assertThat(gauge("test.drift.ks")).isEqualTo(monitor.ks("x"));
            assertThat(gauge("test.drift.window.observations")).isEqualTo(300);
        }
        assertThat(meters.find("test.drift.psi").gauges()).as("gauges removed on close").isEmpty();
    }

    @Test
    void skipsValuesThatAreNotNumbers() {
        try (DriftMonitor monitor = new DriftMonitor(normalReference(), WINDOW, meters, "test", Tags.empty())) {
            monitor.observe(0, Double.NaN);
            monitor.observe(0, Double.NEGATIVE_INFINITY);
            monitor.observe(0, 0.3);

            assertThat(monitor.observations("x")).isEqualTo(1);
        }
    }

    @Test
    void concurrentObserversKeepTheWindowAtItsSize() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try (DriftMonitor monitor = new DriftMonitor(normalReference(), 1_000, meters, "test", Tags.empty())) {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                running.add(threads.submit(() -> {
                    SplittableRandom own = new SplittableRandom(seed);
                    for (int i = 0; i < 50_000; i++) {
                        monitor.observe(0, own.nextGaussian());
                    }
                }));
            }
            for (Future<?> thread : running) {
                thread.get();
            }

            assertThat(monitor.observations("x")).isEqualTo(1_000);
            assertThat(monitor.psi("x")).isLessThan(0.1);
        } finally {
            threads.shutdownNow();
        }
    }
}
