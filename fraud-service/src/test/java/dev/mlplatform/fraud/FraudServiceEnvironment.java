package dev.mlplatform.fraud;

import dev.mlplatform.fraud.training.SyntheticTransactions;
import dev.mlplatform.testsupport.EmbeddedKafkaCluster;
import dev.mlplatform.testsupport.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What the service's integration tests run against: the local Postgres (database
 * {@value TestDatabase#NAME}) and Redis, and one in-JVM Kafka broker shared by every test class of
 * the run. The model is trained small, once, under its own registry name.
 */
public final class FraudServiceEnvironment {

    public static final String MODEL_NAME = "fraud-gbdt-it";
    private static final Map<String, String> MODEL_SETTINGS = Map.of(
            "fraud.model.name", MODEL_NAME,
            "fraud.model.artifact-dir", "target/it-artifacts",
            "fraud.model.training.customers", "400",
            "fraud.model.training.terminals", "800",
            "fraud.model.training.days", "10",
            "fraud.model.training.test-days", "3",
            "fraud.model.training.rounds", "40");
    /** The file training runs are asked to read, in {@link #trainingDataDir()}. */
    public static final String TRAINING_DATA = "synthetic.csv";
    private static final Path TRAINING_DIR = Path.of("target", "it-training");
    private static EmbeddedKafkaCluster kafka;

    private FraudServiceEnvironment() {
    }

    public static synchronized EmbeddedKafkaCluster kafka() {
        if (kafka == null) {
            EmbeddedKafkaCluster started = EmbeddedKafkaCluster.builder().logDirectory(Path.of("target")).build().start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "embedded-kafka-stop"));
            kafka = started;
        }
        return kafka;
    }

    public static String redisUrl() {
        String url = System.getenv("REDIS_URL");
        return url == null || url.isBlank() ? "redis://127.0.0.1:6379/0" : url;
    }

    /** Deletes the decisions a test run made: every transaction id of a run starts with its prefix. */
    public static void removeDecisions(String transactionIdPrefix) {
        try (Connection c = TestDatabase.dataSource().getConnection();
             PreparedStatement delete = c.prepareStatement("DELETE FROM fraud.decisions WHERE transaction_id LIKE ?")) {
            delete.setString(1, transactionIdPrefix + "-%");
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot remove the test's decisions: " + e.getMessage(), e);
        }
    }

    /** The small model settings, as command-line arguments for a service started from its jar. */
    public static List<String> modelArguments() {
        return MODEL_SETTINGS.entrySet().stream().map(setting -> "--" + setting.getKey() + "=" + setting.getValue())
                .toList();
    }

    /** The training runs' data directory, holding {@link #TRAINING_DATA}: 12 synthetic days from 2018-04-01. */
    public static synchronized String trainingDataDir() {
        Path data = TRAINING_DIR.resolve("data");
        if (!Files.isRegularFile(data.resolve(TRAINING_DATA))) {
            try {
                Files.createDirectories(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            SyntheticTransactions.write(data.resolve(TRAINING_DATA), 12);
        }
        return data.toString();
    }

    /** Points a service context at the test servers. */
    public static void register(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> kafka().bootstrapServers());
        registry.add("spring.datasource.url", TestDatabase::jdbcUrl);
        registry.add("spring.datasource.username", TestDatabase::user);
        registry.add("spring.datasource.password", TestDatabase::password);
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "4");
        registry.add("spring.datasource.hikari.minimum-idle", () -> "1");
        registry.add("fraud.features.redis-url", FraudServiceEnvironment::redisUrl);
        // Generous: the test JVM runs Kafka, Postgres clients and two service contexts on two cores.
        registry.add("fraud.features.timeout", () -> "500ms");
        MODEL_SETTINGS.forEach((name, value) -> registry.add(name, () -> value));
        registry.add("fraud.rules.reload-interval", () -> "200ms");
        registry.add("fraud.topics.partitions", () -> "2");
        registry.add("fraud.training-runs.data-dir", FraudServiceEnvironment::trainingDataDir);
        registry.add("fraud.training-runs.out-dir", () -> TRAINING_DIR.resolve("out").toString());
    }

    /** Waits until the service answers ready (a model serves: the first run trains one). */
    public static void awaitReady(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/actuator/health/readiness")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("fraud-service on port " + port + " not ready: no model loaded");
    }

    /**
     * Reads {@code topic} from the beginning until a record satisfying {@code wanted} arrives or
     * {@code timeout} passes; returns every matching record read (empty when none came).
     */
    public static List<ConsumerRecord<String, String>> awaitRecords(String topic,
                                                                     Predicate<ConsumerRecord<String, String>> wanted,
                                                                     int expected, Duration timeout) {
        Map<String, Object> config = new HashMap<>(kafka().clientProperties());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> matching = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (matching.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (wanted.test(record)) {
                        matching.add(record);
                    }
                }
            }
        }
        return matching;
    }
}
