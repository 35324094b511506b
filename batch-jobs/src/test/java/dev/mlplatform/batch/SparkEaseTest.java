package dev.mlplatform.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlplatform.recsys.evaluation.Interactions;
import dev.mlplatform.recsys.model.Ease;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SparkEaseTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("spark-ease-test", "local[2]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** 150 users over 50 items: two tastes, some items for everyone, repeats across the users' rows. */
    private static Interactions someUsers() {
        Random random = new Random(11);
        List<String[]> pairs = new ArrayList<>();
        for (int u = 0; u < 150; u++) {
            int base = u % 2 == 0 ? 0 : 20;
            for (int i = 0; i < 20; i++) {
                if (random.nextDouble() < 0.4) {
                    pairs.add(new String[] {"u" + u, "i" + (base + i)});
                }
            }
            for (int i = 40; i < 50; i++) {
                if (random.nextDouble() < 0.2) {
                    pairs.add(new String[] {"u" + u, "i" + i});
                }
            }
        }
        return Interactions.of(pairs);
    }

    @Test
    void sparksGramMatrixIsTheInMemoryOne() {
        Interactions data = someUsers();

        double[][] gram = SparkEase.gram(LakeInteractions.indexed(spark, data), data.items());

        assertThat(gram).isDeepEqualTo(Ease.gram(data));
    }

    @Test
    void theModelBuiltWithSparkScoresAsTheInMemoryOne() {
        Interactions data = someUsers();
        Ease inMemory = new Ease(20);
        inMemory.fit(data);

        Ease withSpark = new Ease(20);
        withSpark.fit(data, SparkEase.gram(LakeInteractions.indexed(spark, data), data.items()));

        for (int item = 0; item < data.items(); item++) {
            assertThat(withSpark.weights()[item]).containsExactly(inMemory.weights()[item], within(1e-12));
        }
        for (int user = 0; user < data.users(); user++) {
            assertThat(withSpark.scores(user)).containsExactly(inMemory.scores(user), within(1e-12));
        }
    }
}
