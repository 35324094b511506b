package dev.mlplatform.local;

import dev.mlplatform.testsupport.EmbeddedKafkaCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The platform's Kafka: one KRaft broker in this JVM on a fixed port, its data under
 * {@code .platform/kafka}, with the platform's topics. The data lives as long as the platform runs:
 * each {@code up} starts from empty topics (decisions themselves are kept in Postgres).
 */
final class KafkaBroker implements AutoCloseable {

    /** The topics and their partition count: transactions are keyed by card token, 4 partitions for 2 cores. */
    static final int PARTITIONS = 4;
    static final List<String> TOPICS = List.of(
            "fraud.transactions.v1", "fraud.decisions.v1", "fraud.transactions.dlq.v1", "fraud.transactions.late.v1",
            "fraud.labels.v1", "recsys.interactions.v1", "recsys.interactions.dlq.v1", "recsys.items.v1");

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(KafkaBroker.class);

    private final EmbeddedKafkaCluster cluster;

    private KafkaBroker(EmbeddedKafkaCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts a broker on {@code host:port} with data below {@code directory} (emptied first) and creates the topics. */
    static KafkaBroker start(String host, int port, Path directory) {
        deleteContents(directory);
        EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.builder()
                .logDirectory(directory)
                .host(host)
                .port(port)
                .deleteOnClose(true)
                .brokerConfig("num.partitions", String.valueOf(PARTITIONS))
                .brokerConfig("auto.create.topics.enable", "true")
                .build();
        // Kafka's storage formatter prints to System.out: keep that off the launcher's console, in its log.
        PrintStream console = System.out;
        ByteArrayOutputStream formatterOutput = new ByteArrayOutputStream();
        System.setOut(new PrintStream(formatterOutput, true, StandardCharsets.UTF_8));
        try {
            cluster.start();
        } catch (RuntimeException e) {
            cluster.close();
            throw new LaunchException("Kafka did not start on " + host + ":" + port + ": " + e.getMessage(), e);
        } finally {
            System.setOut(console);
            formatterOutput.toString(StandardCharsets.UTF_8).lines().forEach(line -> log.info("{}", line));
        }
        try {
            cluster.createTopics(PARTITIONS, TOPICS.toArray(String[]::new));
        } catch (RuntimeException e) {
            cluster.close();
            throw new LaunchException("Kafka could not create the platform's topics: " + e.getMessage(), e);
        }
        return new KafkaBroker(cluster);
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    java.util.Set<String> topics() {
        return cluster.topicNames();
    }

    @Override
    public void close() {
        cluster.close();
    }

    /** Removes what an earlier run left (a broker killed before it could clean up). */
    static void deleteContents(Path directory) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (var walk = Files.walk(directory)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .filter(path -> !path.equals(directory))
                    .forEach(path -> {
                        try {
                            Files.delete(path);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new LaunchException("cannot clear " + directory + " (" + e.getMessage()
                    + "): remove it by hand and run ./platform up again", e);
        }
    }
}
