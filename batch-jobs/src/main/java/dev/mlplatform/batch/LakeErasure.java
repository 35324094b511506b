package dev.mlplatform.batch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.not;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Erases users from the lake's Parquet datasets ({@code interactions}, {@code candidates}): the files are
 * immutable, so each file that holds one of them is rewritten without their rows, and replaces the original by
 * an atomic rename, so a reader (or a crash) sees the old file or the new one, never half of one. A file that held
 * only their rows is deleted. Files the Flink job adds meanwhile are not touched; it writes new files only.
 *
 * <p>On an object store there is no atomic rename: there the lake would be a table format (Iceberg, Delta) whose
 * {@code DELETE} does this rewrite and commits it atomically in the table's metadata.
 */
final class LakeErasure {

    static final List<String> DATASETS = List.of("interactions", "candidates");

    /** @param filesRewritten rewritten without the users' rows; {@code filesDeleted} held nothing else */
    record Result(long rowsRemoved, int filesRewritten, int filesDeleted) {
    }

    private LakeErasure() {
    }

    static Result erase(SparkSession spark, Path lake, List<String> userIds) {
        long rows = 0;
        int rewritten = 0;
        int deleted = 0;
        for (String dataset : DATASETS) {
            Path dir = lake.resolve(dataset);
            if (userIds.isEmpty() || !Files.isDirectory(dir)) {
                continue;
            }
            List<Path> holding = spark.read().parquet(dir.toString())
                    .where(col(LakeInteractions.USER_ID).isin(userIds.toArray()))
                    .select(input_file_name()).distinct().as(Encoders.STRING())
                    .collectAsList().stream().map(file -> Path.of(URI.create(file))).toList();
            for (Path file : holding) {
                // One file alone: its rows without the partition column, which is its directory's name.
                Dataset<Row> kept = spark.read().parquet(file.toString())
                        .where(not(col(LakeInteractions.USER_ID).isin(userIds.toArray())));
                long before = spark.read().parquet(file.toString()).count();
                long after = kept.count();
                rows += before - after;
                if (after == 0) {
                    delete(file);
                    deleted++;
                } else {
                    replace(file, kept, dir);
                    rewritten++;
                }
            }
        }
        return new Result(rows, rewritten, deleted);
    }

    /** Writes the kept rows beside the dataset (a directory Spark's readers skip), then renames over the file. */
    private static void replace(Path file, Dataset<Row> kept, Path datasetDir) {
        Path staging = datasetDir.resolve("_erasure-" + UUID.randomUUID());
        try {
            kept.coalesce(1).write().mode(SaveMode.ErrorIfExists).option("compression", "snappy")
                    .parquet(staging.toString());
            Path written;
            try (Stream<Path> files = Files.list(staging)) {
                written = files.filter(path -> path.getFileName().toString().endsWith(".parquet")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("Spark wrote no Parquet file to " + staging));
            }
            Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            // Spark's checksum of the old file would no longer match.
            Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file + " without the erased users", e);
        } finally {
            deleteTree(staging);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
            Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the staging directory " + dir, e);
        }
    }
}
