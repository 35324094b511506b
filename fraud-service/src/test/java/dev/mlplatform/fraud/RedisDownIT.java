package dev.mlplatform.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.testsupport.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** With the online store unreachable, transactions are still decided, on their own, and flagged degraded. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedisDownIT {

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        FraudServiceEnvironment.register(registry);
        // Nothing listens on port 1: every feature read fails at once.
        registry.add("fraud.features.redis-url", () -> "redis://127.0.0.1:1/0");
        // REST only, on topics of its own: the other test context owns the consumer group.
        registry.add("fraud.topics.consume", () -> "false");
        registry.add("fraud.topics.transactions", () -> "fraud.transactions.v1.redis-down");
        registry.add("fraud.topics.decisions", () -> "fraud.decisions.v1.redis-down");
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void ready() throws Exception {
        FraudServiceEnvironment.awaitReady(port);
    }

    private JsonNode score(TransactionEvent tx) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/fraud/v1/score"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Transactions.json(tx))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return EventJson.MAPPER.readTree(response.body());
    }

    @Test
    void decidesWithoutFeaturesAndSaysSo() throws Exception {
        // Enough requests to open the circuit: before and after, every answer is a degraded decision.
        for (int i = 0; i < 30; i++) {
            TransactionEvent tx = Transactions.transaction("12.00", Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(1));

            JsonNode answer = score(tx);

            assertThat(answer.get("degraded").booleanValue()).isTrue();
            assertThat(answer.get("reasons").toString()).contains("features_unavailable");
            assertThat(answer.get("modelVersion").stringValue()).startsWith(FraudServiceEnvironment.MODEL_NAME + ":");
            try (Connection c = TestDatabase.dataSource().getConnection();
                 PreparedStatement select = c.prepareStatement(
                         "SELECT degraded, features->>'tx_count_1h' FROM fraud.decisions WHERE transaction_id = ?")) {
                select.setString(1, tx.transactionId());
                try (ResultSet rs = select.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getBoolean(1)).isTrue();
                    assertThat(Double.parseDouble(rs.getString(2))).isEqualTo(1.0);
                }
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM fraud.decisions WHERE transaction_id = ?")) {
                    delete.setString(1, tx.transactionId());
                    delete.executeUpdate();
                }
            }
        }
    }
}
