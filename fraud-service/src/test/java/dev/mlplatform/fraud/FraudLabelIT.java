package dev.mlplatform.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.FraudLabel;
import dev.mlplatform.core.events.TransactionEvent;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Reporting a confirmed fraud end to end, against the real Postgres and Redis and the in-JVM Kafka
 * broker: a scored transaction, its label on {@code fraud.labels.v1} keyed by the decision's merchant,
 * and the refusals (unknown transaction, bad input), which publish nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FraudLabelIT {

    private static final String LABELS = "fraud.labels.v1";
    private static final String PATH = "/api/fraud/v1/labels";
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Every transaction of this test run starts with it, so that the rows can be removed afterwards. */
    private static final String RUN = "label-" + Long.toHexString(System.nanoTime());

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        FraudServiceEnvironment.register(registry);
    }

    @LocalServerPort
    int port;

    private ServiceClient client;

    @BeforeEach
    void ready() throws Exception {
        FraudServiceEnvironment.awaitReady(port);
        client = new ServiceClient(port, RUN);
    }

    @AfterAll
    static void removeRows() {
        FraudServiceEnvironment.removeDecisions(RUN);
    }

    /**
     * A transaction paid two days ago at a merchant of its own (so that the label's key can only have come
     * from this decision), scored by the service.
     */
    private TransactionEvent decided() throws Exception {
        TransactionEvent tx = client.withCard(Transactions.transaction("120.00",
                Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofDays(2))), null);
        TransactionEvent atOwnMerchant = new TransactionEvent(tx.transactionId(), tx.cardNumber(), null,
                tx.customerId(), "m-" + tx.transactionId(), tx.terminalId(), tx.mcc(), tx.amount(), tx.currency(),
                tx.timestamp(), tx.channel(), tx.deviceId(), tx.ip(), tx.location(), tx.country());
        client.decide(atOwnMerchant);
        return atOwnMerchant;
    }

    private static String report(String transactionId, Object reportedAt) {
        return "{\"transactionId\": \"" + transactionId + "\", \"reportedAt\": \"" + reportedAt + "\"}";
    }

    private static List<ConsumerRecord<String, String>> labelsOf(String transactionId, int expected, Duration timeout) {
        return FraudServiceEnvironment.awaitRecords(LABELS, record -> record.value().contains(transactionId), expected,
                timeout);
    }

    @Test
    void publishesTheLabelKeyedByTheDecisionsMerchantEachTimeItIsReported() throws Exception {
        TransactionEvent tx = decided();
        Instant reportedAt = tx.timestamp().plus(Duration.ofDays(1));

        HttpResponse<String> reported = client.post(PATH, report(tx.transactionId(), reportedAt));
        Instant before = Instant.now();
        HttpResponse<String> again = client.post(PATH, "{\"transactionId\": \"" + tx.transactionId() + "\"}");
        Instant after = Instant.now();

        FraudLabel expected = new FraudLabel(tx.transactionId(), tx.merchantId(), tx.timestamp(), reportedAt);
        assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);
        assertThat(EventJson.MAPPER.readValue(reported.body(), FraudLabel.class)).isEqualTo(expected);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
        FraudLabel defaulted = EventJson.MAPPER.readValue(again.body(), FraudLabel.class);
        assertThat(defaulted.reportedAt()).as("reportedAt defaults to now").isBetween(before, after);

        List<ConsumerRecord<String, String>> published = labelsOf(tx.transactionId(), 2, WAIT);
        assertThat(published).as("reported twice, published twice").hasSize(2);
        assertThat(published).allSatisfy(record -> assertThat(record.key()).isEqualTo(tx.merchantId()));
        assertThat(published).extracting(record -> EventJson.MAPPER.readValue(record.value(), FraudLabel.class))
                .containsExactly(expected, defaulted);
    }

    @Test
    void answersNotFoundForATransactionWithoutADecision() throws Exception {
        String unknown = RUN + "-never-scored";

        HttpResponse<String> response = client.post(PATH, "{\"transactionId\": \"" + unknown + "\"}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = ServiceClient.json(response.body());
        assertThat(problem.get("type").stringValue()).endsWith("/decision-not-found");
        assertThat(problem.get("detail").stringValue()).isEqualTo("no decision for transaction '" + unknown + "'");
        assertThat(problem.get("instance").stringValue()).isEqualTo(PATH);
    }

    @Test
    void refusesBadReportsWithAProblemNamingTheFieldAndPublishesNothing() throws Exception {
        TransactionEvent tx = decided();
        String id = tx.transactionId();
        Map<String, String> fieldByBody = new LinkedHashMap<>();
        fieldByBody.put("{\"transactionId\": \"" + id + "\"", "body");
        fieldByBody.put("", "body");
        fieldByBody.put("{\"transactionId\": \"" + id + "\", \"merchantId\": \"m-9\"}", "merchantId");
        fieldByBody.put("{\"reportedAt\": \"" + tx.timestamp() + "\"}", "transactionId");
        fieldByBody.put("{\"transactionId\": \"has space\"}", "transactionId");
        fieldByBody.put(report(id, "yesterday"), "reportedAt");
        fieldByBody.put(report(id, tx.timestamp().minusSeconds(1)), "reportedAt");
        fieldByBody.put(report(id, Instant.now().plus(Duration.ofDays(1))), "reportedAt");

        for (Map.Entry<String, String> bad : fieldByBody.entrySet()) {
            HttpResponse<String> response = client.post(PATH, bad.getKey());

            assertThat(response.statusCode()).as(bad.getKey()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = ServiceClient.json(response.body());
            assertThat(problem.get("type").stringValue()).isEqualTo("https://mlplatform.dev/problems/invalid-label");
            assertThat(problem.get("instance").stringValue()).isEqualTo(PATH);
            assertThat(problem.get("errors")).as(bad.getKey()).extracting(error -> error.get("field").stringValue())
                    .containsExactly(bad.getValue());
        }

        // A refused report, had it been published, would be on the merchant's partition before this valid one.
        assertThat(client.post(PATH, "{\"transactionId\": \"" + id + "\"}").statusCode()).isEqualTo(202);
        assertThat(labelsOf(id, 2, Duration.ofSeconds(5))).hasSize(1);
    }

    @Test
    void documentsTheEndpoint() throws Exception {
        HttpResponse<String> api = client.get("/v3/api-docs");

        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(ServiceClient.json(api.body()).get("paths").get(PATH).get("post").get("responses").propertyNames())
                .contains("202", "400", "404", "503");
    }
}
