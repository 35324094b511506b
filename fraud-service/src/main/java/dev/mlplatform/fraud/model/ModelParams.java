package dev.mlplatform.fraud.model;

/** Keys of the lineage parameters the service writes and reads back. */
public final class ModelParams {

    /** The model's input features in order, comma-separated: a loaded model must match {@link FraudFeatureVector#NAMES}. */
    public static final String FEATURE_NAMES = "feature_names";

    private ModelParams() {
    }
}
