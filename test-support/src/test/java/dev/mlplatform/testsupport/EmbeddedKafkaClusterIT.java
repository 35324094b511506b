package dev.mlplatform.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmbeddedKafkaClusterIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private final String id = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void createsTopicsWithTheRequestedPartitionsAndIgnoresExistingOnes() {
        EmbeddedKafkaCluster kafka = KAFKA.cluster();
        kafka.createTopics(3, "a-" + id, "b-" + id);
        kafka.createTopic("a-" + id, 3);

        assertThat(kafka.topicNames()).contains("a-" + id, "b-" + id);
        assertThat(kafka.send("a-" + id, "k", "v").partition()).isBetween(0, 2);
        assertThat(kafka.send("b-" + id, "k", "v").topic()).isEqualTo("b-" + id);
    }

    @Test
    void deliversRecordsToAConsumerGroup() {
        EmbeddedKafkaCluster kafka = KAFKA.cluster();
        String topic = "group-" + id;
        kafka.createTopic(topic, 2);
        for (int i = 0; i < 10; i++) {
            kafka.send(topic, "card-" + i, "tx-" + i);
        }

        // A subscribed group needs the offsets topic, which a single node can only host with one replica.
        Map<String, Object> config = new java.util.HashMap<>(kafka.clientProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "group-" + id);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < 10 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
            consumer.commitSync();
        }
        assertThat(values).containsExactlyInAnyOrder(
                "tx-0", "tx-1", "tx-2", "tx-3", "tx-4", "tx-5", "tx-6", "tx-7", "tx-8", "tx-9");
    }

    @Test
    void showsTransactionalRecordsOnlyOnceCommitted() {
        EmbeddedKafkaCluster kafka = KAFKA.cluster();
        String topic = "tx-" + id;
        kafka.createTopic(topic, 1);
        Map<String, Object> config = new java.util.HashMap<>(kafka.clientProperties());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "producer-" + id);
        // As long as Flink's exactly-once sink asks for.
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Duration.ofHours(1).toMillis());
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed"));
            producer.commitTransaction();
        }

        List<ConsumerRecord<String, String>> records = kafka.consume(topic, 1, Duration.ofSeconds(30));
        assertThat(records).extracting(ConsumerRecord::value).containsExactly("committed");
    }

    @Test
    void bindsAFixedPortAndRefusesOneThatIsTaken(@org.junit.jupiter.api.io.TempDir Path directory) throws IOException {
        int port = freePort();
        try (EmbeddedKafkaCluster fixed = EmbeddedKafkaCluster.builder().logDirectory(directory).port(port).build().start()) {
            assertThat(fixed.bootstrapServers()).isEqualTo("localhost:" + port);
            fixed.createTopic("fixed-" + id, 1);
            fixed.send("fixed-" + id, "k", "v");
            assertThat(fixed.consume("fixed-" + id, 1, Duration.ofSeconds(30)))
                    .extracting(ConsumerRecord::value).containsExactly("v");

            EmbeddedKafkaCluster second = EmbeddedKafkaCluster.builder().logDirectory(directory).port(port).build();
            assertThatThrownBy(second::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + port)
                    .hasMessageContaining("already in use");
            assertThat(second.isRunning()).isFalse();
        }
    }

    @Test
    void deletesItsDirectoryWhenStopped(@org.junit.jupiter.api.io.TempDir Path directory) {
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().logDirectory(directory).build().start();
        Path clusterDirectory = kafka.clusterDirectory();
        assertThat(clusterDirectory).startsWith(directory).isDirectory();

        kafka.stop();
        kafka.stop();

        assertThat(kafka.isRunning()).isFalse();
        assertThat(Files.exists(clusterDirectory)).isFalse();
        assertThatThrownBy(kafka::bootstrapServers).hasMessageContaining("not running");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("localhost", 0));
            return socket.getLocalPort();
        }
    }
}
