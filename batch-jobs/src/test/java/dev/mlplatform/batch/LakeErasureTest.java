package dev.mlplatform.batch;

import static dev.mlplatform.batch.LakeFiles.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeErasureTest {

    private static SparkSession spark;

    @TempDir
    Path lake;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("lake-erasure-test", "local[2]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void rewritesTheFilesThatHoldTheUsersAndDeletesThoseThatHoldNothingElse() throws Exception {
        // Day one: both users in one file. Day two: only the erased user, a file of its own.
        LakeFiles.write(spark, lake, List.of(
                event("e1", "erased", "a", "view", 1, Instant.parse("2024-05-01T10:00:00Z")),
                event("e2", "kept", "a", "view", 1, Instant.parse("2024-05-01T11:00:00Z")),
                event("e3", "kept", "b", "view", 1, Instant.parse("2024-05-01T12:00:00Z"))));
        LakeFiles.write(spark, lake, List.of(event("e4", "erased", "c", "view", 1, Instant.parse("2024-05-02T10:00:00Z"))));
        spark.createDataFrame(List.of(RowFactory.create("erased", "a:1", "recs-ease:1", 1L),
                        RowFactory.create("kept", "c:1", "recs-ease:1", 1L)), Candidates.SCHEMA)
                .coalesce(1).write().parquet(lake.resolve("candidates").resolve("dt=2024-05-02").toString());
        List<Path> dayOneFiles = parquetFiles(lake.resolve("interactions").resolve("dt=2024-05-01"));

        LakeErasure.Result result = LakeErasure.erase(spark, lake, List.of("erased", "never-seen"));

        assertThat(result.rowsRemoved()).isEqualTo(3);
        assertThat(parquetFiles(lake.resolve("interactions").resolve("dt=2024-05-02"))).as("held only the erased user")
                .isEmpty();
        assertThat(result.filesDeleted()).isPositive();
        assertThat(result.filesRewritten()).as("day one's file with both users, and the candidates'").isPositive();
        assertThat(spark.read().parquet(lake.resolve("interactions").toString()).select("event_id")
                .as(Encoders.STRING()).collectAsList()).containsExactlyInAnyOrder("e2", "e3");
        assertThat(spark.read().parquet(lake.resolve("candidates").toString()).select(LakeInteractions.USER_ID)
                .as(Encoders.STRING()).collectAsList()).containsExactly("kept");
        assertThat(parquetFiles(lake.resolve("interactions").resolve("dt=2024-05-01")))
                .as("rewritten in place, under their own names").isSubsetOf(dayOneFiles);
        try (Stream<Path> left = Files.list(lake.resolve("interactions"))) {
            assertThat(left.map(path -> path.getFileName().toString())).as("no staging left behind")
                    .noneMatch(name -> name.startsWith("_erasure"));
        }
        assertThat(LakeErasure.erase(spark, lake, List.of("erased")).rowsRemoved()).as("idempotent").isZero();
    }

    private static List<Path> parquetFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(path -> path.getFileName().toString().endsWith(".parquet")).toList();
        }
    }
}
