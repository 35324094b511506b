package dev.mlplatform.core.training.gbdt;

/**
 * Rows of features with 0/1 labels and optional weights. Missing feature values are NaN.
 *
 * @param features one row per example, all of the same width
 * @param labels   0 or 1 per row
 * @param weights  a positive weight per row, or {@code null} for equal weights
 */
public record GbdtDataset(float[][] features, float[] labels, float[] weights) {

    public GbdtDataset {
        if (features.length == 0) {
            throw new IllegalArgumentException("a dataset needs at least one row");
        }
        if (labels.length != features.length) {
            throw new IllegalArgumentException(features.length + " rows but " + labels.length + " labels");
        }
        if (weights != null && weights.length != features.length) {
            throw new IllegalArgumentException(features.length + " rows but " + weights.length + " weights");
        }
        int width = features[0].length;
        for (int i = 0; i < features.length; i++) {
            if (features[i].length != width) {
                throw new IllegalArgumentException("row " + i + " has " + features[i].length
                        + " features, row 0 has " + width);
            }
            if (labels[i] != 0f && labels[i] != 1f) {
                throw new IllegalArgumentException("label " + i + " is not 0 or 1: " + labels[i]);
            }
            if (weights != null && !(weights[i] > 0 && Float.isFinite(weights[i]))) {
                throw new IllegalArgumentException("weight " + i + " is not a positive number: " + weights[i]);
            }
        }
    }

    public static GbdtDataset of(float[][] features, float[] labels) {
        return new GbdtDataset(features, labels, null);
    }

    public GbdtDataset withWeights(float[] rowWeights) {
        return new GbdtDataset(features, labels, rowWeights);
    }

    public int size() {
        return features.length;
    }

    public int featureCount() {
        return features[0].length;
    }

    /** The rows one after another, as XGBoost and ONNX Runtime take them. */
    float[] rowMajor() {
        return flatten(features);
    }

    static float[] flatten(float[][] rows) {
        int width = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != width) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " features, row 0 has "
                        + width);
            }
            System.arraycopy(rows[i], 0, flat, i * width, width);
        }
        return flat;
    }
}
