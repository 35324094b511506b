package dev.mlplatform.jobs.fraud;

import static dev.mlplatform.jobs.fraud.VelocityFunctionTest.row;
import static dev.mlplatform.jobs.fraud.Transactions.AMEX;
import static dev.mlplatform.jobs.fraud.Transactions.DISCOVER;
import static dev.mlplatform.jobs.fraud.Transactions.MASTERCARD;
import static dev.mlplatform.jobs.fraud.Transactions.VISA;
import static dev.mlplatform.jobs.fraud.Transactions.json;
import static dev.mlplatform.jobs.fraud.Transactions.token;
import static dev.mlplatform.jobs.fraud.Transactions.tokenized;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.FeatureStore;
import dev.mlplatform.featurestore.FeatureStoreConnection;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.definitions.WindowedVelocity.Tally;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.jobs.common.DeadLetter;
import dev.mlplatform.testsupport.EmbeddedKafkaExtension;
import dev.mlplatform.testsupport.TestDatabase;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The production wiring of the job (Kafka source, exactly-once Kafka sinks, checkpoints) on a
 * MiniCluster at parallelism 2 against the in-JVM Kafka broker.
 *
 * <p>Every record goes to partition 0 of a two-partition topic, so the arrival order is known: the
 * source task that reads partition 1 never sees a record and must be marked idle for the watermark to
 * move at all. A transaction far ahead in event time then moves the watermark past everything before
 * it, which makes "late" a fact of the input rather than of timing.
 */
class FraudFeatureKafkaIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(30);

    private final String id = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void sendsLateEventsAndBadRecordsToTheirTopicsWhileTheRowsStayExact() throws Exception {
        FraudFeatureJob.Config config = config(Duration.ZERO);
        Map<FeatureView, CollectingSink<FeatureRow>> sinks = CollectingSink.forEachView();
        CollectingSink<FeatureRow> features = sinks.get(FraudFeatures.CARD_VELOCITY);
        JobClient job = FraudFeatureJob.fromConfig(config, sinks).executeAsync(environment(config));
        String visa = token(VISA);
        List<ConsumerRecord<String, String>> late;
        List<ConsumerRecord<String, String>> deadLetters;
        try {
            // Out of order, but within the bound; then a transaction two hours later on another card.
            send(config, json("v-1", VISA, T0, "10.00"));
            send(config, json("v-3", VISA, T0.plusSeconds(20), "20.00"));
            send(config, json("v-2", VISA, T0.plusSeconds(10), "5.00"));
            send(config, json("clock-1", MASTERCARD, T0.plusSeconds(7200), "1.00"));
            await(() -> features.received().contains(row(visa, T0.plusSeconds(3620), 0, 0.0, 0, 0.0, 0, 0.0)),
                    "the last expiry row of " + VISA);

            // Now behind the watermark: late. Then records that are no transactions, then more traffic.
            send(config, json("v-late", VISA, T0.plusSeconds(15), "99.00"));
            send(config, "{\"transactionId\": \"cut-off\", \"cardNumber\": \"" + AMEX + "\", \"amo");
            send(config, json("too-precise", "4012888888881881", T0, "0.001"));
            send(config, json("d-1", DISCOVER, T0.plusSeconds(3 * 3600), "42.00"));
            send(config, json("clock-2", MASTERCARD, T0.plusSeconds(4 * 3600), "1.00"));
            String discover = token(DISCOVER);
            await(() -> features.received().stream().anyMatch(r -> r.entityId().equals(discover)),
                    "the row of the transaction after the bad records");
            // The Kafka sinks are transactional: their records become visible with the next checkpoint.
            late = KAFKA.cluster().consume(config.lateTopic(), 1, PATIENCE);
            deadLetters = KAFKA.cluster().consume(config.deadLetterTopic(), 2, PATIENCE);
        } finally {
            job.cancel().get();
        }

        assertThat(features.received()).filteredOn(r -> r.entityId().equals(visa)).containsExactly(
                row(visa, T0, 1, 10.0, 1, 10.0, 1, 10.0),
                row(visa, T0.plusSeconds(10), 2, 15.0, 2, 15.0, 2, 15.0),
                row(visa, T0.plusSeconds(20), 3, 35.0, 3, 35.0, 3, 35.0),
                row(visa, T0.plusSeconds(60), 2, 25.0, 3, 35.0, 3, 35.0),
                row(visa, T0.plusSeconds(70), 1, 20.0, 3, 35.0, 3, 35.0),
                row(visa, T0.plusSeconds(80), 0, 0.0, 3, 35.0, 3, 35.0),
                row(visa, T0.plusSeconds(300), 0, 0.0, 2, 25.0, 3, 35.0),
                row(visa, T0.plusSeconds(310), 0, 0.0, 1, 20.0, 3, 35.0),
                row(visa, T0.plusSeconds(320), 0, 0.0, 0, 0.0, 3, 35.0),
                row(visa, T0.plusSeconds(3600), 0, 0.0, 0, 0.0, 2, 25.0),
                row(visa, T0.plusSeconds(3610), 0, 0.0, 0, 0.0, 1, 20.0),
                row(visa, T0.plusSeconds(3620), 0, 0.0, 0, 0.0, 0, 0.0));
        assertThat(features.received()).filteredOn(r -> r.entityId().equals(token(DISCOVER)))
                .first().isEqualTo(row(token(DISCOVER), T0.plusSeconds(3 * 3600), 1, 42.0, 1, 42.0, 1, 42.0));

        assertThat(late).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo(visa);
            assertThat(EventJson.MAPPER.readValue(record.value(), TransactionEvent.class))
                    .isEqualTo(tokenized("v-late", VISA, T0.plusSeconds(15), "99.00"));
        });

        assertThat(deadLetters).hasSize(2);
        // The dead-letter topic has two partitions: the two records may come back in either order.
        assertThat(deadLetters).extracting(FraudFeatureKafkaIT::error).satisfiesExactlyInAnyOrder(
                error -> assertThat(error).startsWith("malformed JSON"),
                error -> assertThat(error).isEqualTo("invalid transaction: amount must have at most 2 decimal places"));
        assertThat(deadLetters).extracting(ConsumerRecord::value).satisfiesExactlyInAnyOrder(
                cutOff -> assertThat(cutOff).contains("cut-off", token(AMEX)).doesNotContain(AMEX),
                tooPrecise -> assertThat(tooPrecise).contains("too-precise").doesNotContain("4012888888881881"));
        // Raw card numbers reach neither the rows nor any topic the job writes.
        assertThat(late.get(0).value()).doesNotContain(VISA);
    }

    @Test
    void writesTheRowsToTheOnlineStoreAndTheOfflineLogAndCorrectsThemForALateTransaction() throws Exception {
        // Three hours of allowed lateness: the transaction sent last, two hours behind the watermark, still counts.
        FraudFeatureJob.Config config = config(Duration.ofHours(3));
        Random random = new Random();
        String card = Transactions.uniqueCardNumber(random);
        String clockCard = Transactions.uniqueCardNumber(random);
        String token = token(card);
        TestDatabase.dataSource();
        JobClient job = FraudFeatureJob.submit(StreamExecutionEnvironment.getExecutionEnvironment(), config);
        try (FeatureStore store = FeatureStore.open(config.featureStore())) {
            try {
                send(config, json("s-1", card, T0, "10.00"));
                send(config, json("s-2", card, T0.plusSeconds(30), "20.00"));
                send(config, json("s-clock", clockCard, T0.plusSeconds(7200), "1.00"));
                List<FeatureRow> expected = FraudFeatures.cardVelocity().replay(token, List.of(
                        Tally.of(T0, new BigDecimal("10.00")), Tally.of(T0.plusSeconds(30), new BigDecimal("20.00"))));
                await(() -> store.offline().history(FraudFeatures.CARD_VELOCITY, token).size() == expected.size(),
                        "every row of the card in the offline log");

                assertThat(store.offline().history(FraudFeatures.CARD_VELOCITY, token)).isEqualTo(expected);
                assertThat(expected.get(1)).isEqualTo(row(token, T0.plusSeconds(30), 2, 30.0, 2, 30.0, 2, 30.0));
                Map<String, FeatureRow> online = store.online().readBatch(FraudFeatures.CARD_VELOCITY, List.of(token));
                // The online store holds the latest row: the card has been idle for an hour, all zeros.
                assertThat(online).containsEntry(token, expected.get(expected.size() - 1));

                send(config, json("s-late", card, T0.plusSeconds(10), "5.00"));
                List<FeatureRow> corrected = FraudFeatures.cardVelocity().replay(token, List.of(Tally.of(T0, new BigDecimal("10.00")),
                        Tally.of(T0.plusSeconds(10), new BigDecimal("5.00")), Tally.of(T0.plusSeconds(30), new BigDecimal("20.00"))));
                await(() -> store.offline().history(FraudFeatures.CARD_VELOCITY, token).equals(corrected),
                        "the offline log corrected for the late transaction");
                // The row at T0 + 30 s was out before the late transaction came: it now counts it.
                assertThat(corrected).contains(row(token, T0.plusSeconds(30), 3, 35.0, 3, 35.0, 3, 35.0));
            } finally {
                job.cancel().get();
                Transactions.erase(store, card);
                Transactions.erase(store, clockCard);
            }
        }
    }

    private FraudFeatureJob.Config config(Duration allowedLateness) {
        String suffix = id + "-" + UUID.randomUUID().toString().substring(0, 4);
        FraudFeatureJob.Config config = new FraudFeatureJob.Config(KAFKA.bootstrapServers(),
                "transactions-" + suffix, "labels-" + suffix, "late-" + suffix, "dlq-" + suffix, "fraud-features-" + suffix,
                OUT_OF_ORDERNESS, allowedLateness, Duration.ofSeconds(1), Duration.ofMillis(500), 2,
                FeatureStoreConnection.local(TestDatabase.NAME));
        KAFKA.cluster().createTopics(2, config.transactionsTopic(), config.labelsTopic(), config.lateTopic(), config.deadLetterTopic());
        return config;
    }

    private static StreamExecutionEnvironment environment(FraudFeatureJob.Config config) {
        return FraudFeatureJob.configure(StreamExecutionEnvironment.getExecutionEnvironment(), config);
    }

    private static void send(FraudFeatureJob.Config config, String value) {
        KAFKA.cluster().send(new ProducerRecord<>(config.transactionsTopic(), 0, null, value));
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
            Thread.sleep(100);
        }
    }
}
