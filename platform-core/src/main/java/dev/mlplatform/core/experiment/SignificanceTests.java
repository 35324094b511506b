package dev.mlplatform.core.experiment;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Whether an experiment's arms differ by more than chance: the two-proportion z-test for rates
 * (decline rate, click-through) and Welch's t-test for means (mean risk score, watch time). Both
 * two-sided. Results that the data cannot support (an empty arm, no variance at all) are NaN, never
 * a misleading number.
 */
public final class SignificanceTests {

    /** No random generator: the distributions are only evaluated, never sampled. */
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private SignificanceTests() {
    }

    /**
     * Compares {@code treatmentSuccesses / treatmentTrials} with {@code controlSuccesses / controlTrials}
     * under the pooled-rate null hypothesis.
     */
    public static ProportionTest twoProportionZTest(long controlSuccesses, long controlTrials, long treatmentSuccesses,
                                                    long treatmentTrials) {
        checkCounts(controlSuccesses, controlTrials);
        checkCounts(treatmentSuccesses, treatmentTrials);
        double controlRate = controlTrials == 0 ? Double.NaN : (double) controlSuccesses / controlTrials;
        double treatmentRate = treatmentTrials == 0 ? Double.NaN : (double) treatmentSuccesses / treatmentTrials;
        double difference = treatmentRate - controlRate;
        if (controlTrials == 0 || treatmentTrials == 0) {
            return new ProportionTest(controlRate, treatmentRate, difference, Double.NaN, Double.NaN);
        }
        double pooled = (double) (controlSuccesses + treatmentSuccesses) / (controlTrials + treatmentTrials);
        double standardError = Math.sqrt(pooled * (1 - pooled) * (1.0 / controlTrials + 1.0 / treatmentTrials));
        if (standardError == 0) {
            // Both arms all successes or all failures: identical, and no evidence either way.
            return new ProportionTest(controlRate, treatmentRate, difference, Double.NaN, Double.NaN);
        }
        double z = difference / standardError;
        return new ProportionTest(controlRate, treatmentRate, difference, z, twoSided(STANDARD_NORMAL.cumulativeProbability(-Math.abs(z))));
    }

    /** Compares the treatment's mean with the control's from each arm's running sums. */
    public static MeanTest welchTTest(Moments control, Moments treatment) {
        double controlMean = control.mean();
        double treatmentMean = treatment.mean();
        double difference = treatmentMean - controlMean;
        if (control.count() < 2 || treatment.count() < 2) {
            return new MeanTest(controlMean, treatmentMean, difference, Double.NaN, Double.NaN, Double.NaN);
        }
        double controlTerm = control.variance() / control.count();
        double treatmentTerm = treatment.variance() / treatment.count();
        double squaredError = controlTerm + treatmentTerm;
        if (squaredError == 0) {
            return new MeanTest(controlMean, treatmentMean, difference, Double.NaN, Double.NaN, Double.NaN);
        }
        double t = difference / Math.sqrt(squaredError);
        double degreesOfFreedom = squaredError * squaredError
                / (controlTerm * controlTerm / (control.count() - 1) + treatmentTerm * treatmentTerm / (treatment.count() - 1));
        double tail = new TDistribution(null, degreesOfFreedom).cumulativeProbability(-Math.abs(t));
        return new MeanTest(controlMean, treatmentMean, difference, t, degreesOfFreedom, twoSided(tail));
    }

    private static double twoSided(double lowerTail) {
        return Math.min(1, 2 * lowerTail);
    }

    private static void checkCounts(long successes, long trials) {
        if (trials < 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 <= successes <= trials, got " + successes + " of " + trials);
        }
    }
}
