package dev.mlplatform.core.training.gbdt;

/** The metric watched on the validation set for early stopping, as XGBoost names it. */
public enum EvalMetric {
    LOGLOSS("logloss", false),
    AUC("auc", true),
    /** Area under the precision-recall curve: the one to watch when positives are rare (fraud). */
    AUCPR("aucpr", true);

    private final String xgboostName;
    private final boolean higherIsBetter;

    EvalMetric(String xgboostName, boolean higherIsBetter) {
        this.xgboostName = xgboostName;
        this.higherIsBetter = higherIsBetter;
    }

    public String xgboostName() {
        return xgboostName;
    }

    boolean improves(double candidate, double best) {
        return higherIsBetter ? candidate > best : candidate < best;
    }
}
