package dev.mlplatform.fraud.scoring;

/** The serving model: fraud probabilities for feature rows, all from one model version. */
public interface RiskModel {

    /**
     * @throws ModelUnavailableException when no model is loaded
     */
    ModelScores score(float[][] rows);

    /** The version in service, or null before the first model is loaded. */
    String version();
}
