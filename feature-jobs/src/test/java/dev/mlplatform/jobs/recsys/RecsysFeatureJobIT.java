package dev.mlplatform.jobs.recsys;

import static dev.mlplatform.jobs.recsys.Interactions.item;
import static dev.mlplatform.jobs.recsys.Interactions.json;
import static dev.mlplatform.jobs.recsys.Interactions.rating;
import static dev.mlplatform.jobs.recsys.Interactions.search;
import static dev.mlplatform.jobs.recsys.Interactions.view;
import static dev.mlplatform.jobs.recsys.Interactions.watch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.InteractionEvent;
import dev.mlplatform.featurestore.FeatureStore;
import dev.mlplatform.featurestore.FeatureStoreConnection;
import dev.mlplatform.featurestore.definitions.RankedItems;
import dev.mlplatform.featurestore.definitions.RecsysFeatures;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.jobs.common.DeadLetter;
import dev.mlplatform.testsupport.EmbeddedKafkaExtension;
import dev.mlplatform.testsupport.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The production job (Kafka sources, feature store sinks to Redis and Postgres, the Parquet lake, the exactly-once
 * dead-letter sink, checkpoints) on a MiniCluster at parallelism 2 against the in-JVM Kafka broker.
 *
 * <p>As in {@code FraudFeatureKafkaIT}, every record goes to partition 0 of two-partition topics, so the arrival
 * order is known and the other source task is idle. Interactions arrive out of order (within the bound), one twice,
 * one for an item that never comes, one before its item; then an interaction an hour later moves the watermark just
 * past the trending window that holds them all, and every row can be stated exactly.
 *
 * <p>Event times are a few hours before now (interactions from the future are invalid), so this run's rows are the
 * newest in the online store; the online store is a Redis database of its own, because the {@code all} segment is
 * one key for every writer of trending. Ids are unique per run.
 */
class RecsysFeatureJobIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** Generous: on a loaded two-core machine the job takes minutes to start and catch up; success ends the wait. */
    private static final Duration PATIENCE = Duration.ofMinutes(4);
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final int REDIS_DATABASE = 11;

    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
    private final Path lakeDir = Path.of("target", "recsys-lake-" + id).toAbsolutePath();

    @Test
    void writesExactUserAndTrendingFeaturesTheLakeAndTheDeadLettersFromMessyInput() throws Exception {
        RecsysFeatureJob.Config config = config();
        String u1 = id + "-u1";
        String u2 = id + "-u2";
        String clock = id + "-clock";
        String i1 = id + "-i1";
        String i2 = id + "-i2";
        String i3 = id + "-i3";
        String i5 = id + "-i5";
        String comedy = "comedy-" + id;
        String drama = "drama-" + id;
        List<String> regions = twoRegions();
        String r1 = regions.get(0);
        String r2 = regions.get(1);

        InteractionEvent e1 = view(id + "-e1", u1, i1, minutes(1), r1);
        InteractionEvent e2 = watch(id + "-e2", u1, i3, 900, minutes(2), r2);
        InteractionEvent e3 = rating(id + "-e3", u1, i2, 4.0, minutes(3), r1);
        InteractionEvent e4 = view(id + "-e4", u2, i1, minutes(4), r1);
        InteractionEvent e5 = search(id + "-e5", u2, "heist", null, minutes(4).plusSeconds(30), r1);
        InteractionEvent unknownItem = view(id + "-e6", u2, id + "-nope", minutes(5), r1);
        InteractionEvent beforeItsItem = view(id + "-e7", u2, i5, minutes(6), r1);
        InteractionEvent hourLater = search(id + "-e8", clock, "anything", null, minutes(66), r1);
        String malformed = "{\"eventId\": \"" + id + "-cut";
        String badRating = json(rating(id + "-e9", u1, i1, 7.0, minutes(3), r1));

        TestDatabase.dataSource();
        JobClient job = RecsysFeatureJob.submit(StreamExecutionEnvironment.getExecutionEnvironment(), config);
        try (FeatureStore store = FeatureStore.open(config.featureStore())) {
            try {
                sendItem(config, json(item(i1, comedy)));
                sendItem(config, json(item(i2, comedy, drama)));
                sendItem(config, json(item(i3, drama)));
                for (String record : List.of(json(e1), json(e3), json(e2), json(e2), json(e4), json(e5),
                        json(unknownItem), json(beforeItsItem), malformed, badRating)) {
                    sendInteraction(config, record);
                }
                sendItem(config, json(item(i5, drama)));
                // The unknown item is known to be unknown only after the grace period.
                List<ConsumerRecord<String, String>> deadLetters =
                        KAFKA.cluster().consume(config.deadLetterTopic(), 3, PATIENCE);
                sendInteraction(config, json(hourLater));

                Map<String, FeatureRow> expectedUsers = Map.of(
                        u1, userRow(u1, minutes(3), List.of(entry(i2, 1.6), entry(i3, 1.5), entry(i1, 1)), 3, r1),
                        u2, userRow(u2, minutes(6), List.of(entry(i5, 1), entry(i1, 1)), 3, r1));
                Instant windowEnd = minutes(60);
                Map<String, FeatureRow> expectedTrending = Map.of(
                        "all", trendingRow("all", windowEnd, "%s:2,%s:1,%s:1,%s:1".formatted(i1, i2, i3, i5), 5),
                        "region:" + r1, trendingRow("region:" + r1, windowEnd, "%s:2,%s:1,%s:1".formatted(i1, i2, i5), 4),
                        "region:" + r2, trendingRow("region:" + r2, windowEnd, i3 + ":1", 1),
                        "category:" + comedy, trendingRow("category:" + comedy, windowEnd, "%s:2,%s:1".formatted(i1, i2), 3),
                        "category:" + drama, trendingRow("category:" + drama, windowEnd, "%s:1,%s:1".formatted(i3, i5), 2));
                await(() -> store.online().readBatch(RecsysFeatures.USER_RECENT, expectedUsers.keySet()).equals(expectedUsers)
                                && store.online().readBatch(RecsysFeatures.TRENDING, expectedTrending.keySet()).equals(expectedTrending),
                        "the users' and the segments' rows in the online store");
                List<InteractionEvent> valid = List.of(e1, e2, e3, e4, e5, beforeItsItem, hourLater);
                await(() -> lakeRows().size() == valid.size(), "every valid interaction in the lake");

                assertThat(store.online().readBatch(RecsysFeatures.USER_RECENT, expectedUsers.keySet()))
                        .isEqualTo(expectedUsers);
                assertThat(store.online().readBatch(RecsysFeatures.TRENDING, expectedTrending.keySet()))
                        .isEqualTo(expectedTrending);

                assertThat(deadLetters).extracting(RecsysFeatureJobIT::error).satisfiesExactlyInAnyOrder(
                        error -> assertThat(error).startsWith("malformed JSON"),
                        error -> assertThat(error).isEqualTo("invalid interaction: rating must be 0.5 to 5 in steps of 0.5"),
                        error -> assertThat(error).isEqualTo("unknown item '" + id
                                + "-nope': not in the catalogue 10 s after the interaction"));
                assertThat(deadLetters).extracting(ConsumerRecord::value)
                        .containsExactlyInAnyOrder(malformed, badRating, json(unknownItem));

                Map<String, GenericRecord> lake = lakeRows();
                assertThat(lake.keySet()).containsExactlyInAnyOrderElementsOf(
                        valid.stream().map(InteractionEvent::eventId).toList());
                GenericRecord rated = lake.get(e3.eventId());
                assertThat(rated.toString()).isEqualTo(InteractionLake.record(new CategorizedInteraction(e3, comedy)).toString());
                assertThat(rated.get("strength")).isEqualTo(1.6);
                assertThat(rated.get("event_time")).isEqualTo(minutes(3).toEpochMilli());
                assertThat(lake.get(beforeItsItem.eventId()).get("category").toString()).isEqualTo(drama);
                assertThat(lake.get(e5.eventId()).get("item_id")).isNull();
                for (Map.Entry<String, List<Path>> partition : LakeFiles.finishedFiles(lakeDir).entrySet()) {
                    for (Path file : partition.getValue()) {
                        assertThat(LakeFiles.codecs(file)).containsOnly(CompressionCodecName.SNAPPY);
                        assertThat(LakeFiles.rows(file)).allSatisfy(row -> assertThat(partition.getKey()).isEqualTo(
                                "dt=" + LocalDate.ofInstant(Instant.ofEpochMilli((Long) row.get("event_time")), ZoneOffset.UTC)));
                    }
                }
            } finally {
                job.cancel().get();
                for (String user : List.of(u1, u2, clock)) {
                    store.erase(RecsysFeatures.USER, user);
                }
                for (String segment : List.of("region:" + r1, "region:" + r2, "category:" + comedy, "category:" + drama)) {
                    store.erase(RecsysFeatures.SEGMENT, segment);
                }
            }
        }
    }

    private RecsysFeatureJob.Config config() {
        RecsysFeatureJob.Config config = new RecsysFeatureJob.Config(KAFKA.bootstrapServers(),
                "interactions-" + id, "items-" + id, "dlq-" + id, "recsys-features-" + id, lakeDir,
                Duration.ofMinutes(5), Duration.ofSeconds(1), GRACE, Duration.ofMillis(500), 2,
                new FeatureStoreConnection("redis://127.0.0.1:6379/" + REDIS_DATABASE, TestDatabase.jdbcUrl(),
                        TestDatabase.user(), TestDatabase.password()));
        KAFKA.cluster().createTopics(2, config.interactionsTopic(), config.itemsTopic(), config.deadLetterTopic());
        return config;
    }

    /** Every row in the lake's finished files, by event id. */
    private Map<String, GenericRecord> lakeRows() {
        Map<String, GenericRecord> rows = new HashMap<>();
        try {
            for (List<Path> files : LakeFiles.finishedFiles(lakeDir).values()) {
                for (Path file : files) {
                    LakeFiles.rows(file).forEach(row -> rows.put(row.get("event_id").toString(), row));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private Instant minutes(int minutes) {
        return t0.plus(Duration.ofMinutes(minutes));
    }

    /** Two of ISO 3166's user-assigned codes (QM to QZ, XA to XZ), which no real region uses. */
    private static List<String> twoRegions() {
        List<String> codes = new ArrayList<>();
        for (char c = 'M'; c <= 'Z'; c++) {
            codes.add("Q" + c);
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            codes.add("X" + c);
        }
        Collections.shuffle(codes, new Random());
        return codes.subList(0, 2);
    }

    private static RankedItems.Entry entry(String itemId, double strength) {
        return new RankedItems.Entry(itemId, strength);
    }

    private static FeatureRow userRow(String userId, Instant latest, List<RankedItems.Entry> recentItems,
                                      long interactions, String region) {
        return new FeatureRow(userId, latest, Map.of("recent_items", new RankedItems(recentItems).encode(),
                "interactions_1h", interactions,
                "last_region", region, "last_interaction_at", latest.toEpochMilli()));
    }

    private static FeatureRow trendingRow(String segment, Instant windowEnd, String topItems, long interactions) {
        return new FeatureRow(segment, windowEnd, Map.of("top_items", topItems, "interactions", interactions,
                "window_end", windowEnd.toEpochMilli()));
    }

    private static void sendInteraction(RecsysFeatureJob.Config config, String value) {
        KAFKA.cluster().send(new ProducerRecord<>(config.interactionsTopic(), 0, null, value));
    }

    private static void sendItem(RecsysFeatureJob.Config config, String value) {
        KAFKA.cluster().send(new ProducerRecord<>(config.itemsTopic(), 0, null, value));
    }

    private static String error(ConsumerRecord<String, String> record) {
        return new String(record.headers().lastHeader(DeadLetter.ERROR_HEADER).value(), StandardCharsets.UTF_8);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what + " after " + PATIENCE);
            }
            Thread.sleep(200);
        }
    }
}
