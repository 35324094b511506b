package dev.mlplatform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.testsupport.EmbeddedKafkaCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka bench and the demo against a real in-JVM broker, with a small stand-in for fraud-service
 * that reads {@code fraud.transactions.v1} and publishes a decision for each transaction.
 */
class LoadGeneratorsIT {

    private static EmbeddedKafkaCluster kafka;
    private static KafkaProducer<String, String> decisions;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaCluster.builder().logDirectory(Path.of("target", "kafka")).build().start();
        kafka.createTopics(4, Platform.TRANSACTIONS_TOPIC, Platform.DECISIONS_TOPIC);
        decisions = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(), "linger.ms", 1),
                new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stopKafka() {
        decisions.close();
        kafka.close();
    }

    /** Stands in for fraud-service's consumer: every transaction from now on gets a decision on the decisions topic. */
    private static final class Decider implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger declined = new AtomicInteger();
        private final KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer());
        private final Thread thread;

        Decider() {
            List<TopicPartition> partitions = consumer.partitionsFor(Platform.TRANSACTIONS_TOPIC).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            thread = new Thread(() -> {
                try {
                    while (running.get()) {
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                            TransactionEvent tx = EventJson.MAPPER.readValue(record.value(), TransactionEvent.class);
                            String decision = FakeGateway.decision(tx);
                            if (decision.contains("DECLINE")) {
                                declined.incrementAndGet();
                            }
                            decisions.send(new ProducerRecord<>(Platform.DECISIONS_TOPIC, tx.transactionId(), decision));
                        }
                    }
                } finally {
                    consumer.close();
                }
            }, "decider");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5000);
        }
    }

    @Test
    void kafkaBenchSeesADecisionForEveryTransactionItProduced(@TempDir Path home) throws Exception {
        Platform platform = new Platform(java.net.URI.create("http://localhost:1"), kafka.bootstrapServers(), null, home);
        KafkaBench.Result result;
        int declined;
        try (Decider decider = new Decider()) {
            result = new KafkaBench(platform, new KafkaBench.Config(2_000, 0, Duration.ofSeconds(20), 5, 5_000),
                    new PrintStream(new ByteArrayOutputStream()), Clock.systemUTC()).run();
            declined = decider.declined.get();
        }

        assertThat(result.produced()).isEqualTo(2_000);
        assertThat(result.produceErrors()).isZero();
        assertThat(result.decided()).isEqualTo(2_000);
        assertThat(result.missing()).isZero();
        assertThat(result.duplicates()).isZero();
        assertThat(result.latency().count()).isEqualTo(2_000);
        assertThat(result.decisions().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2_000);
        assertThat(result.decisions().getOrDefault("DECLINE", 0L)).isEqualTo(declined).isPositive();
        assertThat(result.decidedPerSecond()).isPositive();
    }

    @Test
    void aBurstRunSendsEveryPhaseLosesNothingAndReportsTheRecovery(@TempDir Path home) throws Exception {
        Platform platform = new Platform(java.net.URI.create("http://localhost:1"), kafka.bootstrapServers(), null, home);
        KafkaBench.Burst burst = new KafkaBench.Burst(5, Duration.ofSeconds(3), Duration.ofSeconds(1),
                Duration.ofSeconds(3));
        KafkaBench.Config config = KafkaBench.Config.burst(100, burst, Duration.ofSeconds(20), 5, 5_000);
        KafkaBench.Result result;
        try (Decider decider = new Decider()) {
            result = new KafkaBench(platform, config, new PrintStream(new ByteArrayOutputStream()),
                    Clock.systemUTC()).run();
        }

        assertThat(config.count()).isEqualTo(300 + 500 + 300);
        assertThat(result.decided()).isEqualTo(config.count());
        assertThat(result.missing()).isZero();
        assertThat(result.duplicates()).isZero();
        assertThat(result.seconds()).filteredOn(second -> second.second() == 3)
                .singleElement().satisfies(second -> assertThat(second.sent()).isEqualTo(500));
        assertThat(result.seconds()).filteredOn(second -> second.second() < 3)
                .allSatisfy(second -> assertThat(second.sent()).isEqualTo(100));
        // When p99 counts as recovered is BurstRecoveryTest's: here timing depends on the machine.
        assertThat(result.burst()).isNotNull();
        assertThat(result.burst().baselineP99Ms()).isPositive();
        assertThat(result.burst().drainedAfterSeconds()).isNotNull();
    }

    @Test
    void kafkaBenchCountsTransactionsWithoutADecisionAsMissing(@TempDir Path home) throws Exception {
        // No decider: nothing answers.
        Platform platform = new Platform(java.net.URI.create("http://localhost:1"), kafka.bootstrapServers(), null, home);

        KafkaBench.Result result = new KafkaBench(platform, new KafkaBench.Config(50, 100, Duration.ofSeconds(2), 5, 5_000),
                new PrintStream(new ByteArrayOutputStream()), Clock.systemUTC()).run();

        assertThat(result.produced()).isEqualTo(50);
        assertThat(result.decided()).isZero();
        assertThat(result.missing()).isEqualTo(50);
    }

    @Test
    void demoCountsDecisionsOfBothPathsAndSeesRestDecisionsPublished(@TempDir Path home) throws Exception {
        try (Decider decider = new Decider(); FakeGateway gateway = new FakeGateway(
                decision -> decisions.send(new ProducerRecord<>(Platform.DECISIONS_TOPIC, decision)))) {
            Platform platform = new Platform(gateway.uri(), kafka.bootstrapServers(), FakeGateway.KEY, home);
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            Demo.Summary summary = new Demo(platform, new Demo.Config(100, Duration.ofSeconds(2), 5,
                    Duration.ofSeconds(15), 9), new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC()).run();

            // 200 transactions alternate Kafka (even sequence numbers) and REST (odd): no REST one is a multiple of ten.
            assertThat(summary.kafka().sent()).isEqualTo(100);
            assertThat(summary.rest().sent()).isEqualTo(100);
            assertThat(summary.kafka().decided()).isEqualTo(100);
            assertThat(summary.kafka().missing()).isZero();
            assertThat(summary.rest().decided()).isEqualTo(100);
            assertThat(summary.rest().errors()).isEmpty();
            assertThat(summary.restDecisionsPublished()).isEqualTo(100);
            assertThat(summary.rest().latency().count()).isEqualTo(100);
            assertThat(summary.kafka().latency().count()).isEqualTo(100);
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(printed).contains(" kafka  ").contains(" rest   ").contains("more");
            assertThat(Demo.describe(summary)).anySatisfy(line -> assertThat(line).contains("Kafka").contains("decided    100"));
        }
    }

}
