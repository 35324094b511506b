package dev.mlplatform.core.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlplatform.core.evaluation.BinaryClassificationMetrics.OperatingPoint;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BinaryClassificationMetricsTest {

    @Test
    void matchesScikitLearnsDocumentedExample() {
        // sklearn: roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75,
        //          average_precision_score(same) = 0.8333…
        BinaryClassificationMetrics metrics = new BinaryClassificationMetrics(
                new float[] {0.1f, 0.4f, 0.35f, 0.8f}, new float[] {0, 0, 1, 1});
        assertThat(metrics.aucRoc()).isCloseTo(0.75, within(1e-12));
        assertThat(metrics.averagePrecision()).isCloseTo(5.0 / 6.0, within(1e-12));
    }

    @Test
    void tiedScoresCountAsOneGroup() {
        BinaryClassificationMetrics allTied = new BinaryClassificationMetrics(
                new float[] {0.5f, 0.5f, 0.5f, 0.5f}, new float[] {0, 1, 0, 1});
        assertThat(allTied.aucRoc()).isEqualTo(0.5);
        assertThat(allTied.averagePrecision()).isEqualTo(0.5);
        // sklearn: average_precision_score([1, 0, 1, 0], [0.9, 0.6, 0.6, 0.1]) = 0.5*1 + 0.5*(2/3)
        BinaryClassificationMetrics partlyTied = new BinaryClassificationMetrics(
                new float[] {0.9f, 0.6f, 0.6f, 0.1f}, new float[] {1, 0, 1, 0});
        assertThat(partlyTied.averagePrecision()).isCloseTo(0.5 + 0.5 * 2 / 3.0, within(1e-12));
        // Pairs (pos, neg): (0.9 vs 0.6) 1, (0.9 vs 0.1) 1, (0.6 vs 0.6) 0.5, (0.6 vs 0.1) 1 → 3.5 / 4
        assertThat(partlyTied.aucRoc()).isCloseTo(0.875, within(1e-12));
    }

    @Test
    void aucEqualsTheShareOfCorrectlyOrderedPairs() {
        Random random = new Random(9);
        int n = 500;
        float[] scores = new float[n];
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextDouble() < 0.2 ? 1 : 0;
            // Rounded scores make many ties.
            scores[i] = Math.round((labels[i] + random.nextGaussian()) * 10) / 10f;
        }
        double pairs = 0;
        double ordered = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (labels[i] == 1 && labels[j] == 0) {
                    pairs++;
                    ordered += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        assertThat(new BinaryClassificationMetrics(scores, labels).aucRoc()).isCloseTo(ordered / pairs,
                within(1e-12));
    }

    @Test
    void perfectAndInvertedRankings() {
        float[] labels = {0, 0, 1, 1};
        assertThat(new BinaryClassificationMetrics(new float[] {0.1f, 0.2f, 0.8f, 0.9f}, labels).aucRoc())
                .isEqualTo(1.0);
        assertThat(new BinaryClassificationMetrics(new float[] {0.1f, 0.2f, 0.8f, 0.9f}, labels)
                .averagePrecision()).isEqualTo(1.0);
        assertThat(new BinaryClassificationMetrics(new float[] {0.9f, 0.8f, 0.2f, 0.1f}, labels).aucRoc())
                .isEqualTo(0.0);
    }

    @Test
    void countsAtAThreshold() {
        OperatingPoint point = sixRows().at(0.65);
        assertThat(point.truePositives()).isEqualTo(2);
        assertThat(point.falsePositives()).isEqualTo(1);
        assertThat(point.falseNegatives()).isEqualTo(1);
        assertThat(point.trueNegatives()).isEqualTo(2);
        assertThat(point.precision()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(point.recall()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(point.falsePositiveRate()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(sixRows().at(0.95).precision()).isNaN();
    }

    @Test
    void picksTheHighestRecallThatKeepsThePrecision() {
        // ≥0.9: P 1 R 1/3 · ≥0.8: P 1 R 2/3 · ≥0.7: P 2/3 R 2/3 · ≥0.6: P 3/4 R 1 · ≥0.5: P 3/5 · ≥0.4: P 1/2
        OperatingPoint strict = sixRows().highestRecallAtPrecision(0.99).orElseThrow();
        assertThat(strict.threshold()).isEqualTo((double) 0.8f);
        assertThat(strict.recall()).isCloseTo(2 / 3.0, within(1e-12));
        OperatingPoint lenient = sixRows().highestRecallAtPrecision(0.75).orElseThrow();
        assertThat(lenient.threshold()).isEqualTo((double) 0.6f);
        assertThat(lenient.recall()).isEqualTo(1.0);
        assertThat(new BinaryClassificationMetrics(new float[] {0.9f, 0.1f}, new float[] {0, 1})
                .highestRecallAtPrecision(0.6)).isEmpty();
    }

    @Test
    void picksTheHighestPrecisionThatKeepsTheRecall() {
        OperatingPoint high = sixRows().highestPrecisionAtRecall(0.95).orElseThrow();
        assertThat(high.threshold()).isEqualTo((double) 0.6f);
        assertThat(high.precision()).isCloseTo(3 / 4.0, within(1e-12));
        OperatingPoint half = sixRows().highestPrecisionAtRecall(0.5).orElseThrow();
        assertThat(half.threshold()).isEqualTo((double) 0.8f);
        assertThat(half.precision()).isEqualTo(1.0);
        assertThat(new BinaryClassificationMetrics(new float[] {0.1f}, new float[] {0})
                .highestPrecisionAtRecall(0.5)).isEmpty();
    }

    @Test
    void oneOperatingPointPerDistinctScoreHighestFirst() {
        BinaryClassificationMetrics metrics = new BinaryClassificationMetrics(
                new float[] {0.9f, 0.6f, 0.6f, 0.1f}, new float[] {1, 0, 1, 0});
        assertThat(metrics.operatingPoints()).extracting(OperatingPoint::threshold)
                .containsExactly((double) 0.9f, (double) 0.6f, (double) 0.1f);
        assertThat(metrics.operatingPoints()).extracting(OperatingPoint::truePositives).containsExactly(1, 2, 2);
        assertThat(metrics.operatingPoints()).extracting(OperatingPoint::falsePositives).containsExactly(0, 1, 2);
    }

    @Test
    void precisionAmongTheTopK() {
        assertThat(sixRows().precisionAtTopK(3)).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(sixRows().precisionAtTopK(2)).isEqualTo(1.0);
        assertThat(sixRows().precisionAtTopK(100)).isEqualTo(0.5);
    }

    @Test
    void undefinedWithoutBothClassesAndRefusesBadInput() {
        BinaryClassificationMetrics onlyNegatives = new BinaryClassificationMetrics(
                new float[] {0.1f, 0.2f}, new float[] {0, 0});
        assertThat(onlyNegatives.aucRoc()).isNaN();
        assertThat(onlyNegatives.averagePrecision()).isNaN();
        assertThatThrownBy(() -> new BinaryClassificationMetrics(new float[] {0.1f}, new float[] {2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label 0");
        assertThatThrownBy(() -> new BinaryClassificationMetrics(new float[] {Float.NaN}, new float[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("score 0");
        assertThatThrownBy(() -> new BinaryClassificationMetrics(new float[] {0.1f}, new float[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static BinaryClassificationMetrics sixRows() {
        return new BinaryClassificationMetrics(new float[] {0.5f, 0.9f, 0.7f, 0.4f, 0.8f, 0.6f},
                new float[] {0, 1, 0, 0, 1, 1});
    }
}
