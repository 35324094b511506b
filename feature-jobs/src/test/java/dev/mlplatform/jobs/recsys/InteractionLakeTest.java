package dev.mlplatform.jobs.recsys;

import static dev.mlplatform.jobs.recsys.Interactions.categorized;
import static dev.mlplatform.jobs.recsys.Interactions.rating;
import static dev.mlplatform.jobs.recsys.Interactions.search;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InteractionLakeTest {

    private static final Instant T0 = Instant.parse("2026-03-01T23:59:59.999Z");

    @TempDir
    Path directory;

    @Test
    void writesSnappyParquetRowsThatAParquetReaderReadsBackColumnByColumn() throws Exception {
        CategorizedInteraction rated = categorized(rating("e-1", "u-1", "i-1", 4.5, T0, "FR"), "drama");
        CategorizedInteraction searched = categorized(search("e-2", "u-2", "heist films", null, T0.plusMillis(1), null), null);
        Path file = directory.resolve("part-0.parquet");

        try (FSDataOutputStream out = FileSystem.getLocalFileSystem()
                .create(new org.apache.flink.core.fs.Path(file.toUri()), FileSystem.WriteMode.NO_OVERWRITE)) {
            BulkWriter<CategorizedInteraction> writer = new InteractionLake.ParquetRecords().create(out);
            writer.addElement(rated);
            writer.addElement(searched);
            writer.finish();
        }

        List<GenericRecord> rows = LakeFiles.rows(file);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getSchema()).isEqualTo(InteractionLake.SCHEMA);
        assertThat(rows.get(0).toString()).isEqualTo(InteractionLake.record(rated).toString());
        assertThat(rows.get(0).get("event_id")).isEqualTo(new Utf8("e-1"));
        assertThat(rows.get(0).get("rating")).isEqualTo(4.5);
        assertThat(rows.get(0).get("event_time")).isEqualTo(T0.toEpochMilli());
        assertThat(rows.get(0).get("strength")).isEqualTo(1.8);
        assertThat(rows.get(1).get("item_id")).isNull();
        assertThat(rows.get(1).get("category")).isNull();
        assertThat(rows.get(1).get("query")).isEqualTo(new Utf8("heist films"));
        assertThat(rows.get(1).get("strength")).isEqualTo(0.5);
        assertThat(LakeFiles.codecs(file)).hasSize(InteractionLake.SCHEMA.getFields().size())
                .containsOnly(CompressionCodecName.SNAPPY);
    }

    @Test
    void bucketsByTheUtcDateOfTheEventTimeNotOfArrival() {
        assertThat(InteractionLake.bucketOf(categorized(rating("e-1", "u-1", "i-1", 4.5, T0, "FR"), "drama")))
                .isEqualTo("dt=2026-03-01");
        assertThat(InteractionLake.bucketOf(categorized(rating("e-1", "u-1", "i-1", 4.5, T0.plusMillis(1), "FR"), "drama")))
                .isEqualTo("dt=2026-03-02");
    }
}
