package dev.mlplatform.batch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.mlplatform.recsys.evaluation.Interactions;
import dev.mlplatform.recsys.evaluation.MovieLensFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The interactions the Flink job lands in the lake, {@code <lake>/interactions/dt=YYYY-MM-DD/*.parquet}, as Spark
 * datasets, and the same interactions as the in-memory {@link Interactions} that evaluation ranks with.
 *
 * <p>Three shapes: the events as landed ({@link #EVENT_SCHEMA}); user items, one row per (user, item) with the
 * summed {@code strength} (implicit-feedback confidence); and indexed user items, which add each user's and item's
 * index in an {@link Interactions} so that Spark's results line up with the in-memory models.
 */
public final class LakeInteractions {

    public static final String USER_ID = "user_id";
    public static final String ITEM_ID = "item_id";
    public static final String STRENGTH = "strength";
    public static final String USER_INDEX = "user_index";
    public static final String ITEM_INDEX = "item_index";
    /** The partition column: the UTC day of the event. */
    public static final String DAY = "dt";

    /** The columns the Flink job writes, and the partition column; read with this schema, never inferred. */
    public static final StructType EVENT_SCHEMA = new StructType()
            .add("event_id", DataTypes.StringType, false)
            .add(USER_ID, DataTypes.StringType, false)
            .add(ITEM_ID, DataTypes.StringType, true)
            .add("type", DataTypes.StringType, false)
            .add("rating", DataTypes.DoubleType, true)
            .add("watch_seconds", DataTypes.IntegerType, true)
            .add("query", DataTypes.StringType, true)
            .add("region", DataTypes.StringType, true)
            .add("category", DataTypes.StringType, true)
            .add("event_time", DataTypes.LongType, false)
            .add(STRENGTH, DataTypes.DoubleType, false)
            .add(DAY, DataTypes.DateType, false);

    private static final StructType USER_ITEMS = new StructType()
            .add(USER_ID, DataTypes.StringType, false)
            .add(ITEM_ID, DataTypes.StringType, false)
            .add(STRENGTH, DataTypes.DoubleType, false);
    private static final StructType INDEXED = USER_ITEMS
            .add(USER_INDEX, DataTypes.IntegerType, false)
            .add(ITEM_INDEX, DataTypes.IntegerType, false);

    /**
     * Interactions both ways, with the same indices: in memory, for evaluation, and as indexed user items in Spark
     * (cached: {@code unpersist} them when done); and each item's genres or categories as flags, where known.
     */
    public record Loaded(Interactions interactions, Dataset<Row> indexed, Map<String, boolean[]> itemGenres) {
    }

    private LakeInteractions() {
    }

    /** The lake's interactions of the days {@code from} to {@code to}: each user's items with their summed strengths. */
    public static Loaded fromLake(SparkSession spark, Path lake, LocalDate from, LocalDate to) {
        Dataset<Row> events = events(spark, lake, from, to);
        Dataset<Row> userItems = userItems(events).persist(StorageLevel.MEMORY_AND_DISK());
        Interactions interactions = collect(userItems);
        Dataset<Row> indexed = indexed(userItems, interactions).persist(StorageLevel.MEMORY_AND_DISK());
        // Filled from the cached user items before those leave the cache, so the lake is read once for them.
        indexed.count();
        userItems.unpersist();
        return new Loaded(interactions, indexed, categories(events));
    }

    /**
     * A MovieLens-format ratings file read by {@link MovieLensFiles}: each rating counts once, of strength 1, with
     * the indices of that reader, so that the same file and seed give the same split as {@code recs evaluate}; the
     * genres from {@code u.item} beside it, when there.
     */
    public static Loaded fromMovieLens(SparkSession spark, Path ratings) {
        Interactions interactions = MovieLensFiles.ratings(ratings);
        return new Loaded(interactions, indexed(spark, interactions).persist(StorageLevel.MEMORY_AND_DISK()),
                MovieLensFiles.genres(ratings.resolveSibling("u.item")));
    }

    /** The lake's root: {@code RECSYS_LAKE_DIR}, else {@code .platform/lake} under {@code home}. */
    public static Path lakeDir(Map<String, String> env, Path home) {
        String dir = env.get("RECSYS_LAKE_DIR");
        return dir == null || dir.isBlank() ? home.resolve(".platform").resolve("lake") : home.resolve(dir);
    }

    /** The interaction events of the days {@code from} to {@code to}, both included (only those partitions are read). */
    public static Dataset<Row> events(SparkSession spark, Path lake, LocalDate from, LocalDate to) {
        Path dir = lake.resolve("interactions");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no interactions in the lake: " + dir.toAbsolutePath()
                    + " does not exist (set RECSYS_LAKE_DIR or --lake)");
        }
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("the first day " + from + " is after the last " + to);
        }
        return spark.read().schema(EVENT_SCHEMA).parquet(dir.toString())
                .where(col(DAY).between(lit(Date.valueOf(from)), lit(Date.valueOf(to))));
    }

    /**
     * Each item's category as flags over the categories of the events (the Flink job stamps each event with its
     * item's catalogue category), as {@code MovieLensFiles.genres} gives genres: the content side of a model.
     */
    static Map<String, boolean[]> categories(Dataset<Row> events) {
        List<Row> rows = events.where(col(ITEM_ID).isNotNull().and(col("category").isNotNull()))
                .select(ITEM_ID, "category").distinct().collectAsList();
        List<String> names = rows.stream().map(row -> row.getString(1)).distinct().sorted().toList();
        Map<String, Integer> indexOf = new HashMap<>();
        names.forEach(name -> indexOf.put(name, indexOf.size()));
        Map<String, boolean[]> categories = new HashMap<>();
        for (Row row : rows) {
            boolean[] flags = categories.computeIfAbsent(row.getString(0), item -> new boolean[names.size()]);
            flags[indexOf.get(row.getString(1))] = true;
        }
        return categories;
    }

    /** One row per (user, item) of the events that name an item, with their strengths summed. */
    public static Dataset<Row> userItems(Dataset<Row> events) {
        return events.where(col(ITEM_ID).isNotNull())
                .groupBy(USER_ID, ITEM_ID)
                .agg(sum(STRENGTH).as(STRENGTH));
    }

    /**
     * The user items collected to the driver: users in id order, so that the same data gives the same indices and,
     * with them, the same evaluation split.
     */
    public static Interactions collect(Dataset<Row> userItems) {
        List<String[]> pairs = new ArrayList<>();
        for (Row row : userItems.select(USER_ID, ITEM_ID).orderBy(USER_ID, ITEM_ID).collectAsList()) {
            pairs.add(new String[] {row.getString(0), row.getString(1)});
        }
        return Interactions.of(pairs);
    }

    /** In-memory interactions as indexed user items, each of strength 1 (the interactions are binary). */
    public static Dataset<Row> indexed(SparkSession spark, Interactions interactions) {
        List<Row> rows = new ArrayList<>(Math.toIntExact(interactions.size()));
        for (int u = 0; u < interactions.users(); u++) {
            for (int item : interactions.itemsOf(u)) {
                rows.add(RowFactory.create(interactions.userId(u), interactions.itemId(item), 1.0, u, item));
            }
        }
        return distributed(spark, rows, INDEXED);
    }

    /** The user items with the index of each user and item in {@code index}; pairs it lacks are dropped. */
    public static Dataset<Row> indexed(Dataset<Row> userItems, Interactions index) {
        SparkSession spark = userItems.sparkSession();
        List<Row> users = new ArrayList<>(index.users());
        for (int u = 0; u < index.users(); u++) {
            users.add(RowFactory.create(index.userId(u), u));
        }
        List<Row> items = new ArrayList<>(index.items());
        for (int i = 0; i < index.items(); i++) {
            items.add(RowFactory.create(index.itemId(i), i));
        }
        Dataset<Row> userIndex = distributed(spark, users, new StructType()
                .add(USER_ID, DataTypes.StringType, false).add(USER_INDEX, DataTypes.IntegerType, false));
        Dataset<Row> itemIndex = spark.createDataFrame(items, new StructType()
                .add(ITEM_ID, DataTypes.StringType, false).add(ITEM_INDEX, DataTypes.IntegerType, false));
        // The catalogue is small beside the users: every partition gets all of it rather than a shuffle.
        return userItems.join(userIndex, USER_ID).join(functions.broadcast(itemIndex), ITEM_ID)
                .select(USER_ID, ITEM_ID, STRENGTH, USER_INDEX, ITEM_INDEX);
    }

    /**
     * The indexed rows whose (user, item) pair is in {@code part}, a split of the interactions they were indexed
     * by (same users and items, so the same indices): a training part with the lake's strengths kept.
     */
    public static Dataset<Row> restrictedTo(Dataset<Row> indexed, Interactions part) {
        List<Row> pairs = new ArrayList<>(Math.toIntExact(part.size()));
        for (int u = 0; u < part.users(); u++) {
            for (int item : part.itemsOf(u)) {
                pairs.add(RowFactory.create(u, item));
            }
        }
        Dataset<Row> kept = distributed(indexed.sparkSession(), pairs, new StructType()
                .add(USER_INDEX, DataTypes.IntegerType, false).add(ITEM_INDEX, DataTypes.IntegerType, false));
        return indexed.join(kept, new String[] {USER_INDEX, ITEM_INDEX}, "left_semi");
    }

    /** Rows of the driver as a dataset, in slices that keep each task under the 1 MB Spark recommends. */
    private static Dataset<Row> distributed(SparkSession spark, List<Row> rows, StructType schema) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(context.parallelize(rows, rows.size() / 10_000 + 1), schema);
    }
}
