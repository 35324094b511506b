package dev.mlplatform.batch;

import static org.apache.spark.sql.functions.collect_set;

import dev.mlplatform.featurestore.definitions.RankedItems;
import dev.mlplatform.featurestore.definitions.RecsysFeatures;
import dev.mlplatform.featurestore.online.RedisOnlineStore;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.recsys.evaluation.RankingMetrics;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * Each user's candidates, precomputed by Spark where the users are: per partition, every user's items go through
 * the model's scorer, the items the user already has are excluded, and the best ones are kept, best first, in the
 * {@code user_candidates:v1} form ({@link RankedItems}). Written online to Redis per partition, in pipelined
 * batches, and as Parquet in the lake.
 */
final class Candidates {

    static final String ITEMS = "items";
    static final String MODEL = "model";
    static final String COMPUTED_AT = "computed_at";
    static final StructType SCHEMA = new StructType()
            .add(LakeInteractions.USER_ID, DataTypes.StringType, false)
            .add(ITEMS, DataTypes.StringType, false)
            .add(MODEL, DataTypes.StringType, false)
            .add(COMPUTED_AT, DataTypes.LongType, false);
    /** Rows per Redis round trip: one dispatch of all their writes, their replies awaited together. */
    static final int ONLINE_BATCH = 500;
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(10);

    /** A model's scores of every item for one user; shipped to the executors, so it holds only broadcasts. */
    interface UserScorer extends Serializable {

        /**
         * @param user  the user's index
         * @param items the user's item indices, ascending
         */
        double[] scores(int user, int[] items);
    }

    private Candidates() {
    }

    /**
     * One row per user of {@code indexed} ({@link LakeInteractions#indexed}): user_id, items (up to {@code count},
     * as {@code id:score,...}), the model as {@code name:version}, and when they were computed (epoch ms).
     *
     * @param itemIds every item's id by index
     */
    static Dataset<Row> of(Dataset<Row> indexed, UserScorer scorer, List<String> itemIds, int count, String model,
                           Instant computedAt) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(indexed.sparkSession().sparkContext());
        Broadcast<String[]> ids = context.broadcast(itemIds.toArray(String[]::new));
        long computedAtMillis = computedAt.toEpochMilli();
        return indexed.groupBy(LakeInteractions.USER_ID, LakeInteractions.USER_INDEX)
                .agg(collect_set(LakeInteractions.ITEM_INDEX).as(ITEMS))
                .mapPartitions((MapPartitionsFunction<Row, Row>) users -> new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return users.hasNext();
                    }

                    @Override
                    public Row next() {
                        Row user = users.next();
                        List<Integer> owned = user.getList(2);
                        int[] items = owned.stream().mapToInt(Integer::intValue).sorted().toArray();
                        double[] scores = scorer.scores(user.getInt(1), items);
                        int[] best = RankingMetrics.topK(scores, items, count);
                        List<RankedItems.Entry> entries = new ArrayList<>(best.length);
                        for (int item : best) {
                            entries.add(new RankedItems.Entry(ids.value()[item], scores[item]));
                        }
                        return RowFactory.create(user.getString(0), new RankedItems(entries).encode(), model,
                                computedAtMillis);
                    }
                }, Encoders.row(SCHEMA));
    }

    /**
     * Writes the candidate rows to the online store's {@code user_candidates:v1}, each partition over its own Redis
     * connection in batches of {@value #ONLINE_BATCH}. Online only: nothing trains on candidates, so there is no
     * offline log. Returns the rows applied (a row meets a newer stored one only when a later run was faster).
     */
    static long writeOnline(Dataset<Row> candidates, String redisUri) {
        LongAccumulator applied = candidates.sparkSession().sparkContext().longAccumulator("candidate rows applied");
        candidates.foreachPartition((ForeachPartitionFunction<Row>) rows -> {
            try (RedisOnlineStore store = RedisOnlineStore.connect(redisUri, REDIS_TIMEOUT)) {
                List<FeatureRow> batch = new ArrayList<>(ONLINE_BATCH);
                while (rows.hasNext()) {
                    batch.add(featureRow(rows.next()));
                    if (batch.size() == ONLINE_BATCH || !rows.hasNext()) {
                        applied.add(store.writeBatchCountingApplied(RecsysFeatures.USER_CANDIDATES, batch));
                        batch.clear();
                    }
                }
            }
        });
        return applied.value();
    }

    private static FeatureRow featureRow(Row row) {
        long computedAt = row.getLong(3);
        return new FeatureRow(row.getString(0), Instant.ofEpochMilli(computedAt),
                Map.of(ITEMS, row.getString(1), MODEL, row.getString(2), COMPUTED_AT, computedAt));
    }
}
