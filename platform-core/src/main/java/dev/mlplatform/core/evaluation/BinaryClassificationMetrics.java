package dev.mlplatform.core.evaluation;

import java.util.Arrays;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Evaluation of a binary classifier's scores against 0/1 labels, computed once from the scores
 * sorted in descending order.
 *
 * <p>A row is predicted positive when its score is at or above the threshold. Rows with equal
 * scores are one group: a threshold cannot separate them, so every curve moves by whole groups —
 * the same convention as scikit-learn's {@code roc_auc_score} and {@code average_precision_score}.
 */
public final class BinaryClassificationMetrics {

    private final float[] sortedScores;
    private final boolean[] sortedPositive;
    private final int positives;
    private final int negatives;

    /**
     * @param scores one finite score per row, higher meaning more likely positive
     * @param labels one label per row, 0 or 1
     */
    public BinaryClassificationMetrics(float[] scores, float[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
        Integer[] order = new Integer[scores.length];
        int positiveCount = 0;
        for (int i = 0; i < scores.length; i++) {
            if (!Float.isFinite(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is not finite: " + scores[i]);
            }
            if (labels[i] != 0f && labels[i] != 1f) {
                throw new IllegalArgumentException("label " + i + " is not 0 or 1: " + labels[i]);
            }
            if (labels[i] == 1f) {
                positiveCount++;
            }
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        this.sortedScores = new float[scores.length];
        this.sortedPositive = new boolean[scores.length];
        for (int rank = 0; rank < order.length; rank++) {
            sortedScores[rank] = scores[order[rank]];
            sortedPositive[rank] = labels[order[rank]] == 1f;
        }
        this.positives = positiveCount;
        this.negatives = scores.length - positiveCount;
    }

    public int positives() {
        return positives;
    }

    public int negatives() {
        return negatives;
    }

    /** Area under the ROC curve (ties count one half); NaN when either class is absent. */
    public double aucRoc() {
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double area = 0;
        long truePositives = 0;
        int start = 0;
        while (start < sortedScores.length) {
            int end = groupEnd(start);
            long groupPositives = positivesIn(start, end);
            long groupNegatives = (end - start) - groupPositives;
            // Trapezoid over the group: its negatives each pass the positives above plus half of the group's.
            area += groupNegatives * (truePositives + groupPositives / 2.0);
            truePositives += groupPositives;
            start = end;
        }
        return area / ((double) positives * negatives);
    }

    /**
     * Average precision: the precision at each threshold weighted by the recall it adds,
     * {@code Σ (Rₙ − Rₙ₋₁) Pₙ} (no interpolation); NaN when there is no positive.
     */
    public double averagePrecision() {
        if (positives == 0) {
            return Double.NaN;
        }
        double sum = 0;
        long truePositives = 0;
        int start = 0;
        while (start < sortedScores.length) {
            int end = groupEnd(start);
            long groupPositives = positivesIn(start, end);
            truePositives += groupPositives;
            if (groupPositives > 0) {
                sum += (double) groupPositives / positives * ((double) truePositives / end);
            }
            start = end;
        }
        return sum;
    }

    /** Counts, precision and recall when rows scoring at or above {@code threshold} are called positive. */
    public OperatingPoint at(double threshold) {
        int predictedPositive = 0;
        int truePositives = 0;
        while (predictedPositive < sortedScores.length && sortedScores[predictedPositive] >= threshold) {
            if (sortedPositive[predictedPositive]) {
                truePositives++;
            }
            predictedPositive++;
        }
        return point(threshold, predictedPositive, truePositives);
    }

    /**
     * The threshold with the highest recall among those whose precision is at least
     * {@code minPrecision} (the highest such threshold when several reach that recall);
     * empty when no threshold is precise enough.
     */
    public Optional<OperatingPoint> highestRecallAtPrecision(double minPrecision) {
        OperatingPoint best = null;
        int truePositives = 0;
        int start = 0;
        while (start < sortedScores.length) {
            int end = groupEnd(start);
            truePositives += positivesIn(start, end);
            OperatingPoint candidate = point(sortedScores[start], end, truePositives);
            if (candidate.precision() >= minPrecision && (best == null || candidate.recall() > best.recall())) {
                best = candidate;
            }
            start = end;
        }
        return Optional.ofNullable(best);
    }

    /**
     * The threshold with the highest precision among those whose recall is at least {@code minRecall}
     * (the highest such threshold when several reach that precision); empty when there is no positive.
     */
    public Optional<OperatingPoint> highestPrecisionAtRecall(double minRecall) {
        OperatingPoint best = null;
        for (OperatingPoint candidate : operatingPoints()) {
            if (candidate.recall() >= minRecall && (best == null || candidate.precision() > best.precision())) {
                best = candidate;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * One operating point per distinct score, that score as the threshold, highest first: the points
     * that ROC and precision-recall curves join.
     */
    public List<OperatingPoint> operatingPoints() {
        List<OperatingPoint> points = new ArrayList<>();
        int truePositives = 0;
        int start = 0;
        while (start < sortedScores.length) {
            int end = groupEnd(start);
            truePositives += positivesIn(start, end);
            points.add(point(sortedScores[start], end, truePositives));
            start = end;
        }
        return points;
    }

    /** The share of positives among the {@code k} highest-scored rows (fewer when there are fewer rows). */
    public double precisionAtTopK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        int top = Math.min(k, sortedScores.length);
        if (top == 0) {
            return Double.NaN;
        }
        return (double) positivesIn(0, top) / top;
    }

    /** The positives among the rows from {@code start} (inclusive) to {@code end} (exclusive), by score. */
    private int positivesIn(int start, int end) {
        int count = 0;
        for (int i = start; i < end; i++) {
            if (sortedPositive[i]) {
                count++;
            }
        }
        return count;
    }

    private int groupEnd(int start) {
        int end = start + 1;
        while (end < sortedScores.length && sortedScores[end] == sortedScores[start]) {
            end++;
        }
        return end;
    }

    private OperatingPoint point(double threshold, int predictedPositive, int truePositives) {
        int falsePositives = predictedPositive - truePositives;
        int falseNegatives = positives - truePositives;
        int trueNegatives = negatives - falsePositives;
        return new OperatingPoint(threshold, truePositives, falsePositives, trueNegatives, falseNegatives);
    }

    /** The confusion counts at one threshold. */
    public record OperatingPoint(double threshold, int truePositives, int falsePositives, int trueNegatives,
                                 int falseNegatives) {

        /** TP / (TP + FP); NaN when nothing is predicted positive. */
        public double precision() {
            int predicted = truePositives + falsePositives;
            return predicted == 0 ? Double.NaN : (double) truePositives / predicted;
        }

        /** TP / (TP + FN); NaN when there is no positive. */
        public double recall() {
            int actual = truePositives + falseNegatives;
            return actual == 0 ? Double.NaN : (double) truePositives / actual;
        }

        /** FP / (FP + TN); NaN when there is no negative. */
        public double falsePositiveRate() {
            int actual = falsePositives + trueNegatives;
            return actual == 0 ? Double.NaN : (double) falsePositives / actual;
        }
    }
}
