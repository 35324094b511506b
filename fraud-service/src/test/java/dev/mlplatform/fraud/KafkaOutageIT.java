package dev.mlplatform.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.testsupport.EmbeddedKafkaCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kafka down: the service, run from its jar, starts and scores over REST while no broker listens where it
 * expects one, and every decision event reaches the decisions topic once a broker comes up there. A fraud report,
 * which must be on its topic before it is accepted, is refused with 503 and {@code Retry-After} meanwhile.
 */
class KafkaOutageIT {

    private static final int TRANSACTIONS = 20;
    private static final String RUN = "outage-" + Long.toHexString(System.nanoTime());
    private static final String DECISIONS_TOPIC = RUN + ".decisions";

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void removeRows() {
        FraudServiceEnvironment.removeDecisions(RUN);
    }

    @Test
    void decidesWhileKafkaIsDownAndDeliversTheEventsWhenItReturns() throws Exception {
        int kafkaPort = ServiceJar.freePort();
        try (ServiceJar service = ServiceJar.start(RUN, ServiceJar.freePort(), "localhost:" + kafkaPort, List.of(
                "--fraud.topics.transactions=" + RUN + ".transactions", "--fraud.topics.decisions=" + DECISIONS_TOPIC,
                "--fraud.topics.group=" + RUN, "--fraud.topics.consume=false"))) {
            Set<String> ids = new HashSet<>();
            Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(5);
            for (int i = 0; i < TRANSACTIONS; i++) {
                TransactionEvent tx = Transactions.transaction("25.00", time);
                String id = RUN + "-" + i;
                HttpResponse<String> response = score(service, Transactions.json(tx).replace(tx.transactionId(), id));

                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(EventJson.MAPPER.readTree(response.body()).get("transactionId").stringValue()).isEqualTo(id);
                ids.add(id);
            }

            HttpResponse<String> label = reportFraud(service, RUN + "-0");
            assertThat(label.statusCode()).as(label.body()).isEqualTo(503);
            assertThat(label.headers().firstValue("Retry-After")).isPresent();
            assertThat(label.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/problem+json"));
            assertThat(label.body()).contains("Label not acknowledged");

            try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().port(kafkaPort)
                    .logDirectory(Path.of("target", "kafka-outage")).build().start()) {
                assertThat(announcedIds(kafka, ids.size())).containsAll(ids);
            }
        }
    }

    /** Waits out the producer's metadata bound and the acknowledgement timeout (5 s each by default). */
    private HttpResponse<String> reportFraud(ServiceJar service, String transactionId) throws Exception {
        URI labels = URI.create("http://localhost:" + service.port() + "/api/fraud/v1/labels");
        String body = "{\"transactionId\": \"" + transactionId + "\"}";
        return http.send(HttpRequest.newBuilder(labels).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> score(ServiceJar service, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + service.port() + "/api/fraud/v1/score"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The transaction ids on the decisions topic, read until {@code expected} distinct ones or two minutes
     * passed: the publisher's queue drains once the broker answers, and what it gave up on the outbox relay
     * sends again after its grace period.
     */
    private static Set<String> announcedIds(EmbeddedKafkaCluster kafka, int expected) throws InterruptedException {
        Map<String, Object> config = new HashMap<>(kafka.clientProperties());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Set<String> ids = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                // The topic appears with the first event the service manages to send.
                consumer.listTopics(Duration.ofSeconds(5)).getOrDefault(DECISIONS_TOPIC, List.of())
                        .forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
                if (partitions.isEmpty()) {
                    Thread.sleep(500);
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (ids.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    ids.add(EventJson.MAPPER.readTree(record.value()).get("transactionId").stringValue());
                }
            }
        }
        return ids;
    }
}
