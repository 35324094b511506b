package dev.mlplatform.batch;

import static dev.mlplatform.batch.LakeFiles.event;
import static dev.mlplatform.batch.LakeFiles.search;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.recsys.evaluation.Interactions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeInteractionsTest {

    private static final LocalDate FIRST = LocalDate.parse("2024-05-01");
    private static final LocalDate LAST = LocalDate.parse("2024-05-03");

    private static SparkSession spark;
    @TempDir
    static Path lake;

    @BeforeAll
    static void writeThreeDaysAndOneBefore() {
        spark = LocalSpark.start("lake-interactions-test", "local[2]");
        LakeFiles.write(spark, lake, List.of(
                event("e0", "u2", "old", "view", 1, Instant.parse("2024-04-30T23:59:59Z")),
                event("e1", "u2", "b", "view", 1, Instant.parse("2024-05-01T00:00:00Z"), "comedy"),
                event("e2", "u1", "a", "view", 1, Instant.parse("2024-05-01T10:00:00Z"), "drama"),
                event("e3", "u1", "a", "rating", 2.0, Instant.parse("2024-05-02T10:00:00Z")),
                search("e4", "u1", "space westerns", Instant.parse("2024-05-02T11:00:00Z")),
                event("e5", "u1", "c", "watch", 1.5, Instant.parse("2024-05-03T23:59:59Z"), "drama"),
                event("e6", "u2", "a", "view", 1, Instant.parse("2024-05-03T08:00:00Z"))));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void readsOnlyTheDaysAskedForFromTheFlinkJobsLayout() {
        Dataset<Row> events = LakeInteractions.events(spark, lake, FIRST, LAST);

        assertThat(Files.isDirectory(lake.resolve("interactions").resolve("dt=2024-04-30"))).isTrue();
        assertThat(events.select("event_id").as(Encoders.STRING()).collectAsList())
                .containsExactlyInAnyOrder("e1", "e2", "e3", "e4", "e5", "e6");
        assertThat(LakeInteractions.events(spark, lake, LAST, LAST).count()).isEqualTo(2);
    }

    @Test
    void sumsEachUsersStrengthPerItemAndLeavesSearchesOut() {
        Dataset<Row> userItems = LakeInteractions.userItems(LakeInteractions.events(spark, lake, FIRST, LAST));

        Map<String, Double> strengths = new HashMap<>();
        for (Row row : userItems.collectAsList()) {
            strengths.put(row.getString(0) + "/" + row.getString(1), row.getDouble(2));
        }
        assertThat(strengths).containsOnly(Map.entry("u1/a", 3.0), Map.entry("u1/c", 1.5), Map.entry("u2/a", 1.0),
                Map.entry("u2/b", 1.0));
    }

    @Test
    void loadsTheLakeBothWaysWithTheSameIndices() {
        LakeInteractions.Loaded loaded = LakeInteractions.fromLake(spark, lake, FIRST, LAST);

        Interactions all = loaded.interactions();
        List<Row> indexed = loaded.indexed().collectAsList();
        loaded.indexed().unpersist();

        assertThat(all.users()).isEqualTo(2);
        assertThat(all.userId(0)).as("users in id order").isEqualTo("u1");
        assertThat(all.items()).isEqualTo(3);
        assertThat(all.size()).isEqualTo(4);
        assertThat(loaded.itemGenres()).as("flags over the categories comedy, drama; none known for old")
                .containsOnlyKeys("a", "b", "c");
        assertThat(loaded.itemGenres().get("a")).containsExactly(false, true);
        assertThat(loaded.itemGenres().get("b")).containsExactly(true, false);
        assertThat(loaded.itemGenres().get("c")).containsExactly(false, true);
        assertThat(indexed).hasSize(4).allSatisfy(row -> {
            assertThat(all.userId(row.getInt(row.fieldIndex(LakeInteractions.USER_INDEX))))
                    .isEqualTo(row.getString(row.fieldIndex(LakeInteractions.USER_ID)));
            assertThat(all.itemId(row.getInt(row.fieldIndex(LakeInteractions.ITEM_INDEX))))
                    .isEqualTo(row.getString(row.fieldIndex(LakeInteractions.ITEM_ID)));
        });
    }

    @Test
    void restrictsIndexedRowsToAPartOfTheInteractionsKeepingTheirStrengths() {
        Dataset<Row> userItems = LakeInteractions.userItems(LakeInteractions.events(spark, lake, FIRST, LAST));
        Interactions all = LakeInteractions.collect(userItems);
        int a = itemIndex(all, "a");
        int[][] onlyA = new int[all.users()][];
        for (int u = 0; u < all.users(); u++) {
            onlyA[u] = new int[] {a};
        }
        Interactions part = new Interactions(List.of("u1", "u2"), List.of(all.itemId(0), all.itemId(1), all.itemId(2)),
                onlyA);

        List<Row> kept = LakeInteractions.restrictedTo(LakeInteractions.indexed(userItems, all), part).collectAsList();

        assertThat(kept).extracting(row -> row.getString(row.fieldIndex(LakeInteractions.ITEM_ID))).containsOnly("a");
        assertThat(kept).extracting(row -> row.getDouble(row.fieldIndex(LakeInteractions.STRENGTH)))
                .containsExactlyInAnyOrder(3.0, 1.0);
    }

    @Test
    void loadsMovieLensRatingsWithTheIndicesOfItsReaderAndStrengthOne(@TempDir Path dir) throws Exception {
        Path ratings = dir.resolve("u.data");
        Files.write(ratings, List.of("2\t10\t5\t881250949", "1\t10\t1\t881250950", "1\t11\t3\t881250951"));

        LakeInteractions.Loaded loaded = LakeInteractions.fromMovieLens(spark, ratings);
        List<Row> rows = loaded.indexed().collectAsList();
        loaded.indexed().unpersist();

        assertThat(loaded.interactions().userId(0)).as("users in the file's order").isEqualTo("2");
        assertThat(rows).extracting(row -> row.getString(0) + "/" + row.getString(1) + "/" + row.getDouble(2) + "/"
                        + row.getInt(3) + "/" + row.getInt(4))
                .containsExactlyInAnyOrder("2/10/1.0/0/0", "1/10/1.0/1/0", "1/11/1.0/1/1");
    }

    @Test
    void namesTheMissingLakeDirectory(@TempDir Path empty) {
        assertThatThrownBy(() -> LakeInteractions.events(spark, empty, FIRST, LAST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(empty.resolve("interactions").toString());
    }

    private static int itemIndex(Interactions interactions, String id) {
        for (int i = 0; i < interactions.items(); i++) {
            if (interactions.itemId(i).equals(id)) {
                return i;
            }
        }
        throw new AssertionError("no item " + id);
    }
}
