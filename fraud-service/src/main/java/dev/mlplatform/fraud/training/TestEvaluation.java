package dev.mlplatform.fraud.training;

import dev.mlplatform.core.evaluation.BinaryClassificationMetrics;
import dev.mlplatform.core.evaluation.BinaryClassificationMetrics.OperatingPoint;
import java.util.Optional;

/**
 * One model's scores on the test days, measured as the handbook does (AUC ROC, Average Precision,
 * Card Precision@100) and at the operating points an operator asks about.
 *
 * @param metrics the threshold-free curves behind the figures
 */
public record TestEvaluation(BinaryClassificationMetrics metrics, double aucRoc, double averagePrecision,
                             double cardPrecisionAt100) {

    public static final int CARDS_CHECKED_PER_DAY = 100;

    public static TestEvaluation of(Examples test, float[] scores) {
        BinaryClassificationMetrics metrics = new BinaryClassificationMetrics(scores, test.labels());
        return new TestEvaluation(metrics, metrics.aucRoc(), metrics.averagePrecision(),
                CardPrecision.atK(test, scores, CARDS_CHECKED_PER_DAY));
    }

    /** The highest recall whose precision is at least {@code minPrecision}. */
    public Optional<OperatingPoint> atPrecision(double minPrecision) {
        return metrics.highestRecallAtPrecision(minPrecision);
    }

    /** The highest precision whose recall is at least {@code minRecall}. */
    public Optional<OperatingPoint> atRecall(double minRecall) {
        return metrics.highestPrecisionAtRecall(minRecall);
    }
}
