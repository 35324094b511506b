package dev.mlplatform.core.monitoring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Compares live values of a model's features (its score among them) with their
 * {@link DriftReference}, over a sliding window of the last {@code window} observations of each
 * feature, and publishes per feature, with the caller's tags and {@code feature=<name>}:
 * <ul>
 *   <li>{@code <prefix>.drift.psi}: the population stability index ({@link DriftStatistics#psi})</li>
 *   <li>{@code <prefix>.drift.ks}: the Kolmogorov–Smirnov statistic at the bin edges</li>
 *   <li>{@code <prefix>.drift.window.observations}: how many observations the window holds now</li>
 * </ul>
 * Both statistics read NaN while the window is empty.
 *
 * <p>{@link #observe} sits on the scoring path: it takes no lock and allocates nothing. Each
 * feature's window is a ring of bin numbers; an observation claims the next slot, swaps its bin
 * in and moves one count from the evicted bin to its own (striped counters, so threads rarely
 * touch the same memory). The statistics are computed when read, typically once per scrape; a
 * read racing an observation may see a count off by one, which a window of thousands never shows.
 */
public final class DriftMonitor implements AutoCloseable {

    private final List<String> features;
    private final FeatureWindow[] windows;
    private final MeterRegistry meters;
    private final List<Meter> gauges = new ArrayList<>();

    /**
     * @param reference what the features looked like in training
     * @param window    observations per feature that the statistics are computed over
     * @param meters    where the gauges are registered (removed again by {@link #close()})
     * @param prefix    the metric name prefix, e.g. {@code fraud}
     * @param tags      tags for every gauge, e.g. the model version
     */
    public DriftMonitor(DriftReference reference, int window, MeterRegistry meters, String prefix, Tags tags) {
        if (window < 1) {
            throw new IllegalArgumentException("window must hold at least one observation, got " + window);
        }
        this.features = List.copyOf(reference.features().keySet());
        this.windows = reference.features().values().stream()
                .map(distribution -> new FeatureWindow(distribution, window))
                .toArray(FeatureWindow[]::new);
        this.meters = meters;
        for (int i = 0; i < windows.length; i++) {
            FeatureWindow featureWindow = windows[i];
            Tags featureTags = tags.and("feature", features.get(i));
            gauges.add(Gauge.builder(prefix + ".drift.psi", featureWindow, FeatureWindow::psi)
                    .description("Population stability index of the feature's recent values against the model's "
                            + "training reference: < 0.1 stable, > 0.2 significant drift")
                    .tags(featureTags)
                    .register(meters));
            gauges.add(Gauge.builder(prefix + ".drift.ks", featureWindow, FeatureWindow::ks)
                    .description("Kolmogorov-Smirnov statistic of the feature's recent values against the "
                            + "training reference, at the reference's bin edges")
                    .tags(featureTags)
                    .register(meters));
            gauges.add(Gauge.builder(prefix + ".drift.window.observations", featureWindow, FeatureWindow::observations)
                    .description("Recent values the drift statistics are computed over")
                    .tags(featureTags)
                    .register(meters));
        }
    }

    /** The monitored features, in the reference's order: {@link #observe}'s feature numbers. */
    public List<String> features() {
        return features;
    }

    /** Counts {@code value} in the window of feature number {@code feature}; NaN and infinities are skipped. */
    public void observe(int feature, double value) {
        if (Double.isFinite(value)) {
            windows[feature].add(value);
        }
    }

    public double psi(String feature) {
        return window(feature).psi();
    }

    public double ks(String feature) {
        return window(feature).ks();
    }

    public long observations(String feature) {
        return window(feature).observations();
    }

    /** Removes the gauges: the monitored model left service. */
    @Override
    public void close() {
        gauges.forEach(meters::remove);
        gauges.clear();
    }

    private FeatureWindow window(String feature) {
        int index = features.indexOf(feature);
        if (index < 0) {
            throw new IllegalArgumentException("feature " + feature + " is not monitored; monitored: " + features);
        }
        return windows[index];
    }

    /** The last observations of one feature, as bin numbers in a ring, and how many fall in each bin. */
    private static final class FeatureWindow {

        private static final int EMPTY = -1;

        private final BinnedDistribution reference;
        private final double[] expected;
        private final AtomicIntegerArray ring;
        private final AtomicLong next = new AtomicLong();
        private final LongAdder[] counts;

        FeatureWindow(BinnedDistribution reference, int size) {
            this.reference = reference;
            this.expected = reference.shares();
            this.ring = new AtomicIntegerArray(size);
            for (int i = 0; i < size; i++) {
                ring.set(i, EMPTY);
            }
            this.counts = new LongAdder[reference.bins()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void add(double value) {
            int bin = reference.binOf(value);
            int slot = (int) (next.getAndIncrement() % ring.length());
            int evicted = ring.getAndSet(slot, bin);
            if (evicted != EMPTY) {
                counts[evicted].decrement();
            }
            counts[bin].increment();
        }

        double psi() {
            double[] actual = actualShares();
            return actual == null ? Double.NaN : DriftStatistics.psi(expected, actual);
        }

        double ks() {
            double[] actual = actualShares();
            return actual == null ? Double.NaN : DriftStatistics.ks(expected, actual);
        }

        long observations() {
            long total = 0;
            for (LongAdder count : counts) {
                total += Math.max(0, count.sum());
            }
            return total;
        }

        /** The window's share per bin, or null while it is empty. */
        private double[] actualShares() {
            long[] snapshot = new long[counts.length];
            long total = 0;
            for (int i = 0; i < counts.length; i++) {
                // A reader between another thread's two counter updates can see -1 for a moment.
                snapshot[i] = Math.max(0, counts[i].sum());
                total += snapshot[i];
            }
            if (total == 0) {
                return null;
            }
            double[] shares = new double[snapshot.length];
            for (int i = 0; i < shares.length; i++) {
                shares[i] = (double) snapshot[i] / total;
            }
            return shares;
        }
    }
}
