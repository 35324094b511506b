package dev.mlplatform.core.experiment;

/**
 * Welch's t-test of a treatment's mean against the control's (no assumption of equal variances).
 *
 * @param controlMean      the control's sample mean
 * @param treatmentMean    the treatment's sample mean
 * @param difference       treatment mean − control mean
 * @param t                the difference over its standard error
 * @param degreesOfFreedom the Welch–Satterthwaite approximation
 * @param pValue           two-sided, from Student's t distribution with those degrees of freedom
 */
public record MeanTest(double controlMean, double treatmentMean, double difference, double t,
                       double degreesOfFreedom, double pValue) {

    /** Whether the difference is significant at level {@code alpha} (e.g. 0.05). */
    public boolean significantAt(double alpha) {
        return pValue < alpha;
    }
}
