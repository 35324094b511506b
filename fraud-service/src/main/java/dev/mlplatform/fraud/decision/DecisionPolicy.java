package dev.mlplatform.fraud.decision;

/**
 * Turns a risk score into an outcome: below {@code review} approve, from {@code review} review, from
 * {@code decline} decline. Equal thresholds leave no review band.
 */
public record DecisionPolicy(double review, double decline) {

    public DecisionPolicy {
        if (!(review >= 0 && review <= decline && decline <= 1)) {
            throw new IllegalArgumentException("thresholds must satisfy 0 <= review <= decline <= 1, got review="
                    + review + " decline=" + decline);
        }
    }

    public Outcome outcomeOf(double riskScore) {
        if (riskScore >= decline) {
            return Outcome.DECLINE;
        }
        return riskScore >= review ? Outcome.REVIEW : Outcome.APPROVE;
    }
}
