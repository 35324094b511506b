package dev.mlplatform.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.recsys.evaluation.Interactions;
import dev.mlplatform.recsys.model.ItemVectors;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SparkAlsTest {

    private static final int USERS = 40;
    private static final int ITEMS = 30;

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("spark-als-test", "local[2]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The first half of the users take items 0..14, the others 15..29; each user misses a different two of theirs. */
    private static Interactions twoGroups() {
        List<String[]> pairs = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            int base = u < USERS / 2 ? 0 : ITEMS / 2;
            for (int i = 0; i < ITEMS / 2; i++) {
                if (i != u % 15 && i != (u + 7) % 15) {
                    pairs.add(new String[] {"u" + u, "i" + (base + i)});
                }
            }
        }
        return Interactions.of(pairs);
    }

    @Test
    void ranksTheItemsAUserMissedOfTheirGroupAboveEveryItemOfTheOther() {
        Interactions data = twoGroups();
        SparkAls als = new SparkAls(spark, new SparkAls.Params(4, 0.1, 1, 10), 42);

        als.fit(data);

        for (int u = 0; u < USERS; u++) {
            double[] scores = als.scores(u);
            int base = u < USERS / 2 ? 0 : ITEMS / 2;
            int otherBase = ITEMS / 2 - base;
            double worstMissed = Math.min(scores[index(data, base + u % 15)], scores[index(data, base + (u + 7) % 15)]);
            for (int i = 0; i < ITEMS / 2; i++) {
                assertThat(worstMissed).as("user %d: missed item over item %d of the other group", u, otherBase + i)
                        .isGreaterThan(scores[index(data, otherBase + i)]);
            }
        }
    }

    @Test
    void exportsOneFactorVectorPerItemByItsId() {
        Interactions data = twoGroups();
        SparkAls als = new SparkAls(spark, new SparkAls.Params(4, 0.1, 1, 10), 42);
        als.fit(data);

        ItemVectors vectors = als.itemVectors();

        assertThat(vectors.size()).isEqualTo(ITEMS);
        assertThat(vectors.dimension()).isEqualTo(4);
        float[] first = vectors.vector(vectors.indexOf("i0"));
        assertThat(first).containsExactly(als.itemFactors()[index(data, 0)]);
        assertThat(dot(first, vectors.vector(vectors.indexOf("i1"))))
                .as("items of one group point the same way")
                .isGreaterThan(dot(first, vectors.vector(vectors.indexOf("i20"))));
    }

    private static int index(Interactions data, int item) {
        for (int i = 0; i < data.items(); i++) {
            if (data.itemId(i).equals("i" + item)) {
                return i;
            }
        }
        throw new AssertionError("no item i" + item);
    }

    private static double dot(float[] a, float[] b) {
        double dot = 0;
        for (int d = 0; d < a.length; d++) {
            dot += a[d] * b[d];
        }
        return dot;
    }
}
