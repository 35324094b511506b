package dev.mlplatform.core.experiment;

/**
 * A two-proportion z-test of a treatment's rate against the control's.
 *
 * @param controlRate   successes / trials in the control
 * @param treatmentRate successes / trials in the treatment
 * @param difference    treatment rate − control rate
 * @param z             the difference over its standard error under the pooled rate
 * @param pValue        two-sided: the probability of a |z| at least this large if the rates were equal
 */
public record ProportionTest(double controlRate, double treatmentRate, double difference, double z, double pValue) {

    /** Whether the difference is significant at level {@code alpha} (e.g. 0.05). */
    public boolean significantAt(double alpha) {
        return pValue < alpha;
    }
}
