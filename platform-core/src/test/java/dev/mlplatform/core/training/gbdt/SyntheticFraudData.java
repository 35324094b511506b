package dev.mlplatform.core.training.gbdt;

import java.util.Random;

/**
 * A labelled data set with non-linear structure, rare-ish positives and missing values whose
 * absence itself carries signal, so that trained trees send NaN left at some nodes and right at
 * others.
 */
final class SyntheticFraudData {

    static final int FEATURES = 8;

    private SyntheticFraudData() {
    }

    static GbdtDataset generate(long seed, int rows) {
        Random random = new Random(seed);
        float[][] features = new float[rows][FEATURES];
        float[] labels = new float[rows];
        for (int i = 0; i < rows; i++) {
            float[] row = features[i];
            for (int j = 0; j < FEATURES; j++) {
                row[j] = (float) random.nextGaussian();
            }
            double logit = -2.0 + 1.5 * row[0] - 1.0 * row[1] * row[2] + (row[3] > 0.5 ? 1.2 : -0.4)
                    + 0.8 * Math.sin(3 * row[4]);
            // Feature 5 is missing often, more so for positives; feature 6 missing at random.
            boolean positive = random.nextDouble() < 1 / (1 + Math.exp(-logit));
            if (random.nextDouble() < (positive ? 0.4 : 0.1)) {
                row[5] = Float.NaN;
            }
            if (random.nextDouble() < 0.15) {
                row[6] = Float.NaN;
            }
            if (random.nextDouble() < 0.05) {
                row[0] = Float.NaN;
            }
            labels[i] = positive ? 1f : 0f;
        }
        return GbdtDataset.of(features, labels);
    }
}
