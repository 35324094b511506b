package dev.mlplatform.core.monitoring;

/**
 * How far a live distribution has moved from its reference, both given as shares of the same bins.
 *
 * <p>The population stability index, {@code PSI = Σᵢ (aᵢ − eᵢ)·ln(aᵢ/eᵢ)} with {@code aᵢ} the
 * live (actual) and {@code eᵢ} the reference (expected) share of bin {@code i}, is a symmetric
 * Kullback–Leibler divergence. The usual reading: below 0.1 no real change, 0.1 to 0.2 a moderate
 * shift worth a look, above 0.2 a significant shift (retrain or investigate). An empty bin would
 * make the logarithm infinite, so both shares are floored at {@value #EPSILON}.
 *
 * <p>The Kolmogorov–Smirnov statistic is taken on the binned cumulative distributions, at the bin
 * edges only: a lower bound of the exact two-sample statistic, at the cost of a few additions.
 */
public final class DriftStatistics {

    /** Floor for a bin's share: far below one observation in a window of thousands, so it only keeps ln finite. */
    public static final double EPSILON = 1e-4;

    private DriftStatistics() {
    }

    /** {@code Σᵢ (aᵢ − eᵢ)·ln(aᵢ/eᵢ)}, shares floored at {@link #EPSILON}. */
    public static double psi(double[] expected, double[] actual) {
        requireSameBins(expected, actual);
        double psi = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = Math.max(expected[i], EPSILON);
            double a = Math.max(actual[i], EPSILON);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    /** The largest gap between the two cumulative shares at a bin edge. */
    public static double ks(double[] expected, double[] actual) {
        requireSameBins(expected, actual);
        double expectedCumulative = 0;
        double actualCumulative = 0;
        double ks = 0;
        for (int i = 0; i < expected.length - 1; i++) {
            expectedCumulative += expected[i];
            actualCumulative += actual[i];
            ks = Math.max(ks, Math.abs(expectedCumulative - actualCumulative));
        }
        return ks;
    }

    private static void requireSameBins(double[] expected, double[] actual) {
        if (expected.length != actual.length) {
            throw new IllegalArgumentException("expected " + expected.length + " bins, got " + actual.length);
        }
    }
}
