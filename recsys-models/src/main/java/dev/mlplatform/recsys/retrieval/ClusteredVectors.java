package dev.mlplatform.recsys.retrieval;

import dev.mlplatform.recsys.model.ItemVectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded synthetic vectors shaped like learnt embeddings: Gaussian clusters (genres, tastes) around random
 * centres, so that nearest neighbours mean something, and lengths that differ from vector to vector, so that the
 * inner product is not a cosine. Items and queries are samples around the same centres. For benchmarks and tests
 * of retrieval when no real {@link ItemVectors} artifact is at hand.
 */
public final class ClusteredVectors {

    private final float[][] centres;
    private final double spread;

    /**
     * @param clusters how many centres (each coordinate of a centre is standard normal)
     * @param spread   the standard deviation of a sample around its centre, per coordinate
     * @param seed     the same seed gives the same centres
     */
    public ClusteredVectors(int dimension, int clusters, double spread, long seed) {
        if (dimension < 1 || clusters < 1 || !(spread > 0)) {
            throw new IllegalArgumentException("need dimension >= 1, clusters >= 1 and spread > 0, got " + dimension
                    + ", " + clusters + ", " + spread);
        }
        Random random = new Random(seed);
        this.centres = new float[clusters][dimension];
        for (float[] centre : centres) {
            for (int d = 0; d < dimension; d++) {
                centre[d] = (float) random.nextGaussian();
            }
        }
        this.spread = spread;
    }

    /** About one cluster per hundred items (1,000 clusters for 100,000 items), samples at half a centre's spread. */
    public static ClusteredVectors forItems(int items, int dimension, long seed) {
        return new ClusteredVectors(dimension, Math.max(1, items / 100), 0.5, seed);
    }

    /** {@code count} samples with ids {@code prefix0}, {@code prefix1}, …; the same seed gives the same samples. */
    public ItemVectors sample(int count, String prefix, long seed) {
        Random random = new Random(seed);
        int dimension = centres[0].length;
        List<String> ids = new ArrayList<>(count);
        float[][] vectors = new float[count][dimension];
        for (int i = 0; i < count; i++) {
            float[] centre = centres[random.nextInt(centres.length)];
            for (int d = 0; d < dimension; d++) {
                vectors[i][d] = centre[d] + (float) (spread * random.nextGaussian());
            }
            ids.add(prefix + i);
        }
        return new ItemVectors(ids, vectors);
    }
}
