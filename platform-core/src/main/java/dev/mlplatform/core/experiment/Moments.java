package dev.mlplatform.core.experiment;

/**
 * The running sums of a continuous metric in one arm, from which its mean and variance follow.
 *
 * @param count        observations
 * @param sum          their sum
 * @param sumOfSquares the sum of their squares
 */
public record Moments(long count, double sum, double sumOfSquares) {

    private static final double RELATIVE_ROUNDING = 1e-12;

    /** The mean; NaN without observations. */
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * The sample variance (n − 1 in the denominator); NaN below two observations. From running sums the
     * squared deviations are a difference of two large numbers: a spread below about a millionth of the
     * mean is rounding noise and reads as 0, so that a constant metric has no variance rather than a
     * random tiny one.
     */
    public double variance() {
        if (count < 2) {
            return Double.NaN;
        }
        double mean = sum / count;
        double squaredDeviations = sumOfSquares - count * mean * mean;
        return squaredDeviations <= sumOfSquares * RELATIVE_ROUNDING ? 0 : squaredDeviations / (count - 1);
    }
}
