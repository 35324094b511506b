package dev.mlplatform.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kill -9 during Kafka load: the service, run from its own jar as a separate process, is killed while
 * it works through a backlog and started again. Every transaction must end with exactly one stored
 * decision and at least one decision event (at-least-once delivery, the id tells duplicates apart).
 * Topics of its own, so that no other consumer in this test JVM takes part.
 */
class KillAndRestartIT {

    private static final int TRANSACTIONS = 20_000;
    private static final String RUN = "kill-" + Long.toHexString(System.nanoTime());
    private static final String TRANSACTIONS_TOPIC = RUN + ".transactions";
    private static final String DECISIONS_TOPIC = RUN + ".decisions";

    private final DataSource db = TestDatabase.dataSource();
    private final List<ServiceJar> services = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        services.forEach(ServiceJar::close);
        FraudServiceEnvironment.removeDecisions(RUN);
    }

    @Test
    void everyTransactionEndsWithExactlyOneDecisionAfterAKill9() throws Exception {
        int port = ServiceJar.freePort();
        ServiceJar first = start(port, "first");

        Set<String> ids = produceBacklog();
        long decidedBeforeKill = awaitDecided(TRANSACTIONS / 10, Duration.ofMinutes(2));
        first.kill();
        long decidedAtKill = decided();

        start(port, "restarted");
        long decidedInTheEnd = awaitDecided(TRANSACTIONS, Duration.ofMinutes(4));

        assertThat(decidedBeforeKill).as("killed mid-stream").isLessThan(TRANSACTIONS);
        assertThat(decidedAtKill).as("killed mid-stream").isLessThan(TRANSACTIONS);
        assertThat(decidedInTheEnd).isEqualTo(TRANSACTIONS);
        assertThat(storedIds()).isEqualTo(ids);
        assertThat(announcedIds(ids.size())).containsAll(ids);
    }

    private ServiceJar start(int port, String name) throws Exception {
        ServiceJar service = ServiceJar.start(RUN + "-" + name, port, FraudServiceEnvironment.kafka().bootstrapServers(),
                List.of("--fraud.topics.transactions=" + TRANSACTIONS_TOPIC, "--fraud.topics.decisions=" + DECISIONS_TOPIC,
                        "--fraud.topics.group=" + RUN, "--fraud.topics.partitions=2"));
        services.add(service);
        return service;
    }

    /** The whole backlog at once, faster than the service decides it, so that the kill finds work in flight. */
    private Set<String> produceBacklog() {
        Map<String, Object> config = new HashMap<>(FraudServiceEnvironment.kafka().clientProperties());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        Set<String> ids = new HashSet<>();
        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < TRANSACTIONS; i++) {
                TransactionEvent tx = Transactions.transaction("12.50", time);
                String id = RUN + "-" + i;
                ids.add(id);
                producer.send(new ProducerRecord<>(TRANSACTIONS_TOPIC, tx.cardNumber(),
                        Transactions.json(tx).replace(tx.transactionId(), id)));
            }
        }
        return ids;
    }

    private long awaitDecided(long atLeast, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long decided = decided();
        while (decided < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(20);
            decided = decided();
        }
        return decided;
    }

    private long decided() throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement count = c.prepareStatement(
                     "SELECT count(*) FROM fraud.decisions WHERE transaction_id LIKE ?")) {
            count.setString(1, RUN + "-%");
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Set<String> storedIds() throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection c = db.getConnection();
             PreparedStatement select = c.prepareStatement(
                     "SELECT transaction_id FROM fraud.decisions WHERE transaction_id LIKE ?")) {
            select.setString(1, RUN + "-%");
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** The transaction ids on the decisions topic, read until {@code expected} distinct ones or a minute passed. */
    private Set<String> announcedIds(int expected) {
        Map<String, Object> config = new HashMap<>(FraudServiceEnvironment.kafka().clientProperties());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(DECISIONS_TOPIC, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (ids.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    int start = record.value().indexOf(RUN + "-");
                    if (start >= 0) {
                        ids.add(record.value().substring(start, record.value().indexOf('"', start)));
                    }
                }
            }
        }
        return ids;
    }

}
