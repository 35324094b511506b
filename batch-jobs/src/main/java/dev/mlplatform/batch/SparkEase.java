package dev.mlplatform.batch;

import static org.apache.spark.sql.functions.collect_set;

import dev.mlplatform.recsys.model.Ease;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.linalg.Matrix;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.linalg.distributed.RowMatrix;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * EASE, the model Spark lacks, trained where the data is: the Gram matrix {@code XᵀX} summed by Spark over the
 * users' rows (each partition adds its users' co-occurrences, then the partial sums are combined in a tree), and
 * the closed-form solve of {@link Ease} on the driver, which needs only that items × items matrix.
 */
public final class SparkEase {

    private SparkEase() {
    }

    /**
     * {@code XᵀX} of the binary user-item matrix of indexed user items ({@link LakeInteractions#indexed}): entry
     * (a, b) is the number of users with both items, the same as {@link Ease#gram} of the same interactions.
     *
     * @param items the catalogue size; item indices run from 0 to items − 1
     */
    public static double[][] gram(Dataset<Row> indexed, int items) {
        JavaRDD<Vector> users = indexed.groupBy(LakeInteractions.USER_INDEX)
                .agg(collect_set(LakeInteractions.ITEM_INDEX))
                .javaRDD()
                .map(row -> {
                    List<Integer> owned = row.getList(1);
                    int[] indices = owned.stream().mapToInt(Integer::intValue).sorted().toArray();
                    double[] ones = new double[indices.length];
                    Arrays.fill(ones, 1);
                    return Vectors.sparse(items, indices, ones);
                });
        Matrix gram = new RowMatrix(users.rdd(), 0, items).computeGramianMatrix();
        double[][] rows = new double[items][items];
        for (int a = 0; a < items; a++) {
            for (int b = 0; b < items; b++) {
                rows[a][b] = gram.apply(a, b);
            }
        }
        return rows;
    }
}
