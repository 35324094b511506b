package dev.mlplatform.jobs.recsys;

import dev.mlplatform.core.events.InteractionEvent;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The interactions table of the data lake, which the Spark jobs read: Parquet files (SNAPPY) under
 * {@code <lake-dir>/interactions/dt=YYYY-MM-DD/}, the UTC date of each interaction's event time, one row per
 * valid, first-seen interaction ({@link #SCHEMA}). Files are written by Flink's {@link FileSink} in bulk format,
 * which rolls them at each checkpoint and makes them visible only when the checkpoint completes: a restored job
 * neither loses nor repeats a row. Files still being written are hidden ({@code .part-*.inprogress.*}), which
 * Spark skips; finished ones are named {@code part-<uuid>-<subtask>-<n>.parquet}.
 */
final class InteractionLake {

    /** The directory of the table below the lake directory. */
    static final String TABLE = "interactions";

    /** The columns, as Spark reads them; the optional ones are null where the interaction has no such field. */
    static final Schema SCHEMA = SchemaBuilder.record("Interaction").namespace("dev.mlplatform.lake").fields()
            .requiredString("event_id")
            .requiredString("user_id")
            .optionalString("item_id")
            .requiredString("type")
            .optionalDouble("rating")
            .optionalInt("watch_seconds")
            .optionalString("query")
            .optionalString("region")
            .optionalString("category")
            .name("event_time").doc("epoch milliseconds (UTC)").type().longType().noDefault()
            .name("strength").doc("InteractionEvent.strength()").type().doubleType().noDefault()
            .endRecord();

    private InteractionLake() {
    }

    /** The sink writing the table under {@code lakeDir}. */
    static FileSink<CategorizedInteraction> sink(java.nio.file.Path lakeDir) {
        Path table = new Path(lakeDir.toAbsolutePath().resolve(TABLE).toUri());
        return FileSink.forBulkFormat(table, new ParquetRecords())
                .withBucketAssigner(new EventDateBuckets())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(".parquet").build())
                .build();
    }

    /** The row of one interaction. */
    static GenericRecord record(CategorizedInteraction interaction) {
        InteractionEvent event = interaction.event();
        GenericRecord record = new GenericData.Record(SCHEMA);
        record.put("event_id", event.eventId());
        record.put("user_id", event.userId());
        record.put("item_id", event.itemId());
        record.put("type", event.type());
        record.put("rating", event.rating());
        record.put("watch_seconds", event.watchSeconds());
        record.put("query", event.query());
        record.put("region", event.region());
        record.put("category", interaction.category());
        record.put("event_time", interaction.epochMillis());
        record.put("strength", event.strength());
        return record;
    }

    /** {@code dt=YYYY-MM-DD}: the UTC date of the interaction's event time. */
    static String bucketOf(CategorizedInteraction interaction) {
        return "dt=" + LocalDate.ofInstant(Instant.ofEpochMilli(interaction.epochMillis()), ZoneOffset.UTC);
    }

    /** Buckets by event date, never by arrival: a late interaction lands in its own day. */
    static final class EventDateBuckets implements BucketAssigner<CategorizedInteraction, String> {

        @Override
        public String getBucketId(CategorizedInteraction interaction, Context context) {
            return bucketOf(interaction);
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }

    /**
     * Parquet files of {@link #SCHEMA} rows, SNAPPY-compressed. Built by hand: Flink's {@code AvroParquetWriters}
     * always write uncompressed (STACK pitfall 16). The stream carries {@link CategorizedInteraction}s, which Flink
     * serializes as POJOs; each becomes an Avro record only here.
     */
    static final class ParquetRecords implements BulkWriter.Factory<CategorizedInteraction> {

        private final ParquetWriterFactory<GenericRecord> parquet = new ParquetWriterFactory<>(out ->
                AvroParquetWriter.<GenericRecord>builder(out)
                        .withSchema(SCHEMA)
                        .withDataModel(GenericData.get())
                        .withCompressionCodec(CompressionCodecName.SNAPPY)
                        .build());

        @Override
        public BulkWriter<CategorizedInteraction> create(FSDataOutputStream out) throws IOException {
            BulkWriter<GenericRecord> writer = parquet.create(out);
            return new BulkWriter<>() {
                @Override
                public void addElement(CategorizedInteraction interaction) throws IOException {
                    writer.addElement(record(interaction));
                }

                @Override
                public void flush() throws IOException {
                    writer.flush();
                }

                @Override
                public void finish() throws IOException {
                    writer.finish();
                }
            };
        }
    }
}
