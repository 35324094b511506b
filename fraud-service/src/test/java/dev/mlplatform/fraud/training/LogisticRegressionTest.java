package dev.mlplatform.fraud.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {

    @Test
    void recoversTheCoefficientsThatGeneratedTheLabels() {
        // P(y = 1 | x) = sigmoid(2 x0 - 3): x1 is noise, x0 has mean 0 and deviation 1 (already standard).
        Random random = new Random(5);
        int n = 40_000;
        float[][] rows = new float[n][2];
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            rows[i][0] = (float) random.nextGaussian();
            rows[i][1] = (float) random.nextGaussian();
            labels[i] = random.nextDouble() < sigmoid(2 * rows[i][0] - 3) ? 1 : 0;
        }

        LogisticRegression model = LogisticRegression.fit(rows, labels, 1e6);

        float[] scores = model.predict(new float[][] {{0, 0}, {1.5f, 0}, {-1, 2}});
        assertThat((double) scores[0]).isCloseTo(sigmoid(-3), within(0.01));
        assertThat((double) scores[1]).isCloseTo(sigmoid(0), within(0.04));
        assertThat((double) scores[2]).isCloseTo(sigmoid(-5), within(0.005));
        assertThat(model.iterations()).isLessThan(15);
    }

    @Test
    void withoutInformativeFeaturesPredictsTheBaseRateAndTakesMissingAsTheMean() {
        float[][] rows = new float[100][];
        float[] labels = new float[100];
        for (int i = 0; i < 100; i++) {
            rows[i] = new float[] {7f, i % 2 == 0 ? Float.NaN : 3f};
            labels[i] = i < 20 ? 1 : 0;
        }

        LogisticRegression model = LogisticRegression.fit(rows, labels, 1.0);

        // The intercept is not penalised: it alone fits the base rate exactly.
        assertThat((double) model.predict(new float[][] {{7f, 3f}})[0]).isCloseTo(0.2, within(1e-6));
        assertThat(model.predict(new float[][] {{7f, Float.NaN}})[0]).isEqualTo(model.predict(new float[][] {{7f, 3f}})[0]);
    }

    @Test
    void strongerRegularisationShrinksTowardsTheBaseRate() {
        float[][] rows = {{0}, {1}, {2}, {3}, {4}, {5}};
        float[] labels = {0, 0, 0, 1, 1, 1};

        float loose = LogisticRegression.fit(rows, labels, 100).predict(new float[][] {{5}})[0];
        float tight = LogisticRegression.fit(rows, labels, 0.01).predict(new float[][] {{5}})[0];

        assertThat(loose).isGreaterThan(tight).isGreaterThan(0.9f);
        assertThat((double) tight).isCloseTo(0.5, within(0.05));
    }

    private static double sigmoid(double margin) {
        return 1 / (1 + Math.exp(-margin));
    }
}
