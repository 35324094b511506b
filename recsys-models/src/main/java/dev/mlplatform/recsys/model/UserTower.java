package dev.mlplatform.recsys.model;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;

/**
 * The user side of {@link TwoTower}, in plain Java so that serving needs no deep-learning engine: a user's vector
 * is the mean of the item vectors of their history, through a two-layer perceptron,
 * {@code mean + W2 · relu(W1 · mean + b1) + b2}. Any history gives a vector, so a new user with a few
 * interactions is served without retraining. Stored as a registry artifact beside the {@link ItemVectors}:
 * {@code "MLPUT1"}, the dimension, the hidden size, then {@code W1} (hidden × dimension, row by row), {@code b1},
 * {@code W2} (dimension × hidden), {@code b2} as floats.
 */
public final class UserTower {

    private static final String MAGIC = "MLPUT1";

    private final int dimension;
    private final int hidden;
    private final float[] hiddenWeights;
    private final float[] hiddenBias;
    private final float[] outputWeights;
    private final float[] outputBias;

    /** The weights in the layout of a PyTorch {@code Linear}: output × input, row by row. */
    public UserTower(int dimension, int hidden, float[] hiddenWeights, float[] hiddenBias, float[] outputWeights,
                     float[] outputBias) {
        if (hiddenWeights.length != hidden * dimension || hiddenBias.length != hidden
                || outputWeights.length != dimension * hidden || outputBias.length != dimension) {
            throw new IllegalArgumentException("weights do not match dimension " + dimension + " and hidden size " + hidden);
        }
        this.dimension = dimension;
        this.hidden = hidden;
        this.hiddenWeights = hiddenWeights;
        this.hiddenBias = hiddenBias;
        this.outputWeights = outputWeights;
        this.outputBias = outputBias;
    }

    public int dimension() {
        return dimension;
    }

    /** The vector of a user who interacted with {@code history}; items without a vector are skipped. */
    public float[] vector(ItemVectors items, Collection<String> history) {
        if (items.dimension() != dimension) {
            throw new IllegalArgumentException("item vectors of " + items.dimension() + " dimensions for a tower of " + dimension);
        }
        float[] mean = new float[dimension];
        int known = 0;
        for (String itemId : history) {
            int index = items.indexOf(itemId);
            if (index >= 0) {
                addTo(mean, items.vector(index));
                known++;
            }
        }
        scale(mean, known);
        return ofMean(mean);
    }

    /** The tower applied to the mean of a history's item vectors (zeros for an empty history). */
    float[] ofMean(float[] mean) {
        float[] activation = new float[hidden];
        for (int h = 0; h < hidden; h++) {
            float sum = hiddenBias[h];
            for (int d = 0; d < dimension; d++) {
                sum += hiddenWeights[h * dimension + d] * mean[d];
            }
            activation[h] = Math.max(0, sum);
        }
        float[] vector = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            float sum = outputBias[d] + mean[d];
            for (int h = 0; h < hidden; h++) {
                sum += outputWeights[d * hidden + h] * activation[h];
            }
            vector[d] = sum;
        }
        return vector;
    }

    static void addTo(float[] sum, float[] vector) {
        for (int d = 0; d < sum.length; d++) {
            sum[d] += vector[d];
        }
    }

    static void scale(float[] sum, int count) {
        if (count > 0) {
            for (int d = 0; d < sum.length; d++) {
                sum[d] /= count;
            }
        }
    }

    public void write(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        data.writeUTF(MAGIC);
        data.writeInt(dimension);
        data.writeInt(hidden);
        for (float[] weights : new float[][] {hiddenWeights, hiddenBias, outputWeights, outputBias}) {
            for (float value : weights) {
                data.writeFloat(value);
            }
        }
        data.flush();
    }

    public static UserTower read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        String magic = data.readUTF();
        if (!MAGIC.equals(magic)) {
            throw new IOException("not a user-tower artifact (starts with " + magic + ")");
        }
        int dimension = data.readInt();
        int hidden = data.readInt();
        float[] hiddenWeights = readFloats(data, hidden * dimension);
        float[] hiddenBias = readFloats(data, hidden);
        float[] outputWeights = readFloats(data, dimension * hidden);
        float[] outputBias = readFloats(data, dimension);
        return new UserTower(dimension, hidden, hiddenWeights, hiddenBias, outputWeights, outputBias);
    }

    private static float[] readFloats(DataInputStream data, int count) throws IOException {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = data.readFloat();
        }
        return values;
    }
}
