package dev.mlplatform.core.monitoring;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * One feature's reference distribution, as bins: a value falls in the first bin whose upper edge
 * is at least the value, or in the last bin when it exceeds every edge.
 *
 * @param edges      upper edges of every bin but the last: finite, strictly increasing
 * @param shares     the fraction of the reference sample in each bin (one more than the edges)
 * @param sampleSize how many values the shares were measured on
 */
public record BinnedDistribution(double[] edges, double[] shares, long sampleSize) {

    public BinnedDistribution {
        edges = edges.clone();
        shares = shares.clone();
        if (shares.length != edges.length + 1) {
            throw new IllegalArgumentException(edges.length + " edges need " + (edges.length + 1) + " shares, got "
                    + shares.length);
        }
        for (int i = 0; i < edges.length; i++) {
            if (!Double.isFinite(edges[i]) || i > 0 && edges[i] <= edges[i - 1]) {
                throw new IllegalArgumentException("edges must be finite and strictly increasing: "
                        + Arrays.toString(edges));
            }
        }
        double total = 0;
        for (double share : shares) {
            if (!(share >= 0)) {
                throw new IllegalArgumentException("shares must be non-negative: " + Arrays.toString(shares));
            }
            total += share;
        }
        if (Math.abs(total - 1) > 1e-6) {
            throw new IllegalArgumentException("shares must sum to 1, sum to " + total);
        }
        if (sampleSize < 1) {
            throw new IllegalArgumentException("sample size must be positive: " + sampleSize);
        }
    }

    /**
     * Quantile bins of {@code sample}: edges at its 1/bins, 2/bins, … quantiles, so that each bin
     * holds about the same share. Where values tie (a count that is mostly 1, a binary flag) equal
     * edges merge into one, and an edge at the maximum is dropped, so that no reference bin is
     * empty: a feature may get fewer bins than asked. NaN and infinite values are left out.
     */
    public static BinnedDistribution fit(double[] sample, int bins) {
        if (bins < 2) {
            throw new IllegalArgumentException("need at least 2 bins, got " + bins);
        }
        double[] sorted = Arrays.stream(sample).filter(Double::isFinite).sorted().toArray();
        int n = sorted.length;
        if (n == 0) {
            throw new IllegalArgumentException("no finite value to fit a distribution on");
        }
        double max = sorted[n - 1];
        double[] edges = IntStream.range(1, bins)
                .mapToDouble(i -> sorted[(int) Math.ceil((double) i * n / bins) - 1])
                .filter(edge -> edge < max)
                .distinct()
                .toArray();
        long[] counts = new long[edges.length + 1];
        for (double value : sorted) {
            counts[binOf(edges, value)]++;
        }
        return new BinnedDistribution(edges, Arrays.stream(counts).mapToDouble(count -> (double) count / n).toArray(), n);
    }

    public int bins() {
        return shares.length;
    }

    /** The bin {@code value} falls in. */
    public int binOf(double value) {
        return binOf(edges, value);
    }

    private static int binOf(double[] edges, double value) {
        int found = Arrays.binarySearch(edges, value);
        return found >= 0 ? found : -found - 1;
    }

    @Override
    public double[] edges() {
        return edges.clone();
    }

    @Override
    public double[] shares() {
        return shares.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BinnedDistribution that && sampleSize == that.sampleSize
                && Arrays.equals(edges, that.edges) && Arrays.equals(shares, that.shares);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(edges) + Arrays.hashCode(shares)) + Long.hashCode(sampleSize);
    }

    @Override
    public String toString() {
        return "BinnedDistribution[edges=" + Arrays.toString(edges) + ", shares=" + Arrays.toString(shares)
                + ", sampleSize=" + sampleSize + "]";
    }
}
