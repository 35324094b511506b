package dev.mlplatform.batch;

import java.nio.file.Path;
import java.sql.Date;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** Writes interaction events into a test lake in the Flink job's layout: {@code interactions/dt=YYYY-MM-DD/*.parquet}. */
final class LakeFiles {

    private LakeFiles() {
    }

    /** An event with an item (view, rating, watch), its strength given; only the columns the jobs read are set. */
    static Row event(String eventId, String user, String item, String type, double strength, Instant time) {
        return event(eventId, user, item, type, strength, time, null);
    }

    /** An event with an item of a known catalogue category, as the Flink job stamps it. */
    static Row event(String eventId, String user, String item, String type, double strength, Instant time,
                     String category) {
        return RowFactory.create(eventId, user, item, type, null, null, null, "FR", category, time.toEpochMilli(),
                strength, Date.valueOf(time.atZone(ZoneOffset.UTC).toLocalDate()));
    }

    /** A search: no item, strength 0.5 as {@code InteractionEvent.strength()} gives it. */
    static Row search(String eventId, String user, String query, Instant time) {
        return RowFactory.create(eventId, user, null, "search", null, null, query, "FR", null, time.toEpochMilli(), 0.5,
                Date.valueOf(time.atZone(ZoneOffset.UTC).toLocalDate()));
    }

    /** Appends the events as Parquet, one directory per day (the dt column becomes the directory, as in the lake). */
    static void write(SparkSession spark, Path lake, List<Row> events) {
        spark.createDataFrame(events, LakeInteractions.EVENT_SCHEMA)
                .write().mode("append").partitionBy(LakeInteractions.DAY)
                .parquet(lake.resolve("interactions").toString());
    }
}
