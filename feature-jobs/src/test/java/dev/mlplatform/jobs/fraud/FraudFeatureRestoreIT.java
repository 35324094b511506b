package dev.mlplatform.jobs.fraud;

import static dev.mlplatform.jobs.fraud.Transactions.json;
import static dev.mlplatform.jobs.fraud.Transactions.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.featurestore.FeatureStore;
import dev.mlplatform.featurestore.FeatureStoreConnection;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.definitions.WindowedVelocity.Tally;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.testsupport.EmbeddedKafkaExtension;
import dev.mlplatform.testsupport.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across a failure: the production job (Kafka source, checkpoints, the feature store sink) is
 * cancelled mid-stream, more input arrives while it is down, and a new job restored from the last retained
 * checkpoint finishes the stream. The feature log must then hold, for every card, exactly the rows of an
 * uninterrupted run — which {@link dev.mlplatform.featurestore.definitions.WindowedVelocity#replay} computes from the whole input in one pass (the batch
 * path) — with nothing missing, nothing doubled although the records after the checkpoint were processed
 * twice, and window state carried over: the records read before the checkpoint are deleted from the topic
 * before the restore, so a restart without the state would undercount the 1 h window.
 */
class FraudFeatureRestoreIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final int TRANSACTIONS_PER_CARD = 30;

    @TempDir
    Path checkpoints;

    @Test
    void aJobRestoredFromItsCheckpointWritesExactlyTheRowsOfAnUninterruptedRun() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        FraudFeatureJob.Config config = new FraudFeatureJob.Config(KAFKA.bootstrapServers(),
                "transactions-" + suffix, "labels-" + suffix, "late-" + suffix, "dlq-" + suffix, "fraud-features-" + suffix,
                Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(1), Duration.ofMillis(200), 2,
                FeatureStoreConnection.local(TestDatabase.NAME));
        KAFKA.cluster().createTopics(2, config.transactionsTopic(), config.labelsTopic(), config.lateTopic(), config.deadLetterTopic());
        Random random = new Random();
        List<String> cards = List.of(Transactions.uniqueCardNumber(random), Transactions.uniqueCardNumber(random),
                Transactions.uniqueCardNumber(random));
        String clockCard = Transactions.uniqueCardNumber(random);
        Map<String, List<Tally>> tallies = new LinkedHashMap<>();
        List<String> firstHalf = new ArrayList<>();
        List<Instant> firstHalfTimes = new ArrayList<>();
        List<String> secondHalf = new ArrayList<>();
        for (int i = 0; i < TRANSACTIONS_PER_CARD; i++) {
            for (int c = 0; c < cards.size(); c++) {
                Instant time = T0.plusSeconds(20L * i + c);
                String amount = (10 + i * 3 + c) + ".25";
                tallies.computeIfAbsent(token(cards.get(c)), card -> new ArrayList<>())
                        .add(Tally.of(time, new BigDecimal(amount)));
                String value = json("r-" + suffix + "-" + c + "-" + i, cards.get(c), time, amount);
                if (i < TRANSACTIONS_PER_CARD / 2) {
                    firstHalf.add(value);
                    firstHalfTimes.add(time);
                } else {
                    secondHalf.add(value);
                }
            }
        }
        // Far ahead in event time: moves the watermark past every expiry row of the cards above.
        secondHalf.add(json("r-" + suffix + "-clock", clockCard, T0.plusSeconds(4 * 3600), "1.00"));
        String watched = token(cards.get(0));

        try (FeatureStore store = FeatureStore.open(config.featureStore())) {
            try {
                JobClient first = start(config, Optional.empty());
                firstHalf.forEach(value -> send(config, value));
                await(() -> history(store, watched).size() >= TRANSACTIONS_PER_CARD / 3, "rows of the first half");
                List<FeatureRow> rowsBeforeCancel = history(store, watched);
                long checkpointSeen = latestCheckpoint().map(FraudFeatureRestoreIT::number).orElse(0L);
                await(() -> latestCheckpoint().map(FraudFeatureRestoreIT::number).orElse(0L) > checkpointSeen + 1,
                        "two more completed checkpoints");
                first.cancel().get();
                // A row at time t is out once the watermark passed t, so every record up to t had been read
                // before those checkpoints. Delete them, as retention would: now only the checkpoint's state can
                // account for them, and a restart without it (from the earliest or the committed offsets) would
                // undercount every window that reaches back before the cancel.
                Instant lastRowTime = rowsBeforeCancel.get(rowsBeforeCancel.size() - 1).eventTime();
                long readBeforeCheckpoint = firstHalfTimes.stream().filter(time -> !time.isAfter(lastRowTime)).count();
                deleteRecordsBefore(config.transactionsTopic(), readBeforeCheckpoint);

                secondHalf.forEach(value -> send(config, value));
                Path restoreFrom = latestCheckpoint().orElseThrow();
                JobClient restored = start(config, Optional.of(restoreFrom));
                try {
                    for (String card : tallies.keySet()) {
                        int expected = FraudFeatures.cardVelocity().replay(card, tallies.get(card)).size();
                        await(() -> history(store, card).size() >= expected, "every row of every card");
                    }
                } finally {
                    restored.cancel().get();
                }

                assertThat(rowsBeforeCancel.size()).as("cancelled mid-stream")
                        .isLessThan(FraudFeatures.cardVelocity().replay(watched, tallies.get(watched)).size());
                for (Map.Entry<String, List<Tally>> card : tallies.entrySet()) {
                    assertThat(history(store, card.getKey()))
                            .as("feature log of one card after the restore")
                            .isEqualTo(FraudFeatures.cardVelocity().replay(card.getKey(), card.getValue()));
                }
            } finally {
                for (String card : cards) {
                    Transactions.erase(store, card);
                }
                Transactions.erase(store, clockCard);
            }
        }
    }

    private JobClient start(FraudFeatureJob.Config config, Optional<Path> restoreFrom) throws Exception {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        restoreFrom.ifPresent(path -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path.toUri().toString()));
        return FraudFeatureJob.submit(StreamExecutionEnvironment.getExecutionEnvironment(conf), config);
    }

    private static void deleteRecordsBefore(String topic, long offset) throws Exception {
        try (Admin admin = Admin.create(KAFKA.cluster().clientProperties())) {
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(offset))).all().get();
        }
    }

    private static List<FeatureRow> history(FeatureStore store, String cardToken) {
        return store.offline().history(FraudFeatures.CARD_VELOCITY, cardToken);
    }

    /** The newest completed checkpoint ({@code <job>/chk-N} with its metadata written) of any job of this test. */
    private Optional<Path> latestCheckpoint() {
        try (Stream<Path> files = Files.walk(checkpoints, 3)) {
            return files.filter(path -> path.getFileName().toString().equals("_metadata"))
                    .map(Path::getParent)
                    .filter(path -> path.getFileName().toString().startsWith("chk-"))
                    .max(Comparator.comparingLong(FraudFeatureRestoreIT::number));
        } catch (IOException | UncheckedIOException e) {
            // A checkpoint subsumed (deleted) while walked: none seen this time.
            return Optional.empty();
        }
    }

    private static long number(Path checkpoint) {
        return Long.parseLong(checkpoint.getFileName().toString().substring("chk-".length()));
    }

    private static void send(FraudFeatureJob.Config config, String value) {
        KAFKA.cluster().send(new ProducerRecord<>(config.transactionsTopic(), 0, null, value));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what + " after " + PATIENCE);
            }
            Thread.sleep(100);
        }
    }
}
