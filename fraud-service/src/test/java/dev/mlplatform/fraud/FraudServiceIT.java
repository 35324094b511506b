package dev.mlplatform.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mlplatform.core.events.CardTokenizer;
import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.online.RedisOnlineStore;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.core.registry.ModelFormat;
import dev.mlplatform.core.registry.ModelRegistration;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.fraud.model.FraudModelManager;
import dev.mlplatform.fraud.rules.RuleBook;
import dev.mlplatform.fraud.rules.Rule;
import dev.mlplatform.fraud.stream.DeadLetterRecoverer;
import dev.mlplatform.fraud.stream.KafkaDecisionPublisher;
import dev.mlplatform.testsupport.TestDatabase;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The service end to end against the real Postgres and Redis and an in-JVM Kafka broker: HTTP in,
 * a row in Postgres, events on Kafka; the Kafka path in and its dead-letter topic; bad input.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FraudServiceIT {

    private static final String DECISIONS = "fraud.decisions.v1";
    private static final String TRANSACTIONS = "fraud.transactions.v1";
    private static final String DEAD_LETTER = "fraud.transactions.dlq.v1";
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Every transaction of this test run starts with it, so that the rows can be removed afterwards. */
    private static final String RUN = "it-" + Long.toHexString(System.nanoTime());

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        FraudServiceEnvironment.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    RuleBook rules;

    @Autowired
    ModelRegistry registry;

    @Autowired
    FraudModelManager models;

    private final HttpClient http = HttpClient.newHttpClient();
    private final DataSource db = TestDatabase.dataSource();
    private final CardTokenizer tokenizer = CardTokenizer.fromEnvironment();

    @BeforeEach
    void ready() throws Exception {
        FraudServiceEnvironment.awaitReady(port);
    }

    @AfterAll
    static void removeRows() {
        FraudServiceEnvironment.removeDecisions(RUN);
    }

    private static TransactionEvent transaction(String amount) {
        TransactionEvent tx = Transactions.transaction(amount, Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(1));
        return new TransactionEvent(RUN + "-" + tx.transactionId(), tx.cardNumber(), null, tx.customerId(),
                tx.merchantId(), tx.terminalId(), tx.mcc(), tx.amount(), tx.currency(), tx.timestamp(), tx.channel(),
                tx.deviceId(), tx.ip(), tx.location(), tx.country());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return post(body, "application/json", Map.of());
    }

    private HttpResponse<String> post(String body, String contentType, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/fraud/v1/score"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String body) {
        return EventJson.MAPPER.readTree(body);
    }

    private long rows(String transactionId) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement count = c.prepareStatement("SELECT count(*) FROM fraud.decisions WHERE transaction_id = ?")) {
            count.setString(1, transactionId);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Map<String, Object> row(String transactionId) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT card_token, decision, source, degraded, "
                     + "transaction::text AS tx, features::text AS features, NOT EXISTS (SELECT 1 FROM "
                     + "fraud.decision_outbox o WHERE o.transaction_id = d.transaction_id) AS published "
                     + "FROM fraud.decisions d WHERE transaction_id = ?")) {
            select.setString(1, transactionId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return Map.of("card_token", rs.getString("card_token"), "decision", rs.getString("decision"),
                        "source", rs.getString("source"), "degraded", rs.getBoolean("degraded"),
                        "tx", rs.getString("tx"), "features", rs.getString("features"),
                        "published", rs.getBoolean("published"));
            }
        }
    }

    private void execute(String sql, Object... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
        }
    }

    @Test
    void scoresATransactionStoresItOnceAndPublishesTheDecision() throws Exception {
        TransactionEvent tx = transaction("42.50");
        String token = tokenizer.tokenize(tx.cardNumber());

        HttpResponse<String> response = post(Transactions.json(tx));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = json(response.body());
        assertThat(answer.get("transactionId").stringValue()).isEqualTo(tx.transactionId());
        assertThat(answer.get("decision").stringValue()).isIn("APPROVE", "REVIEW", "DECLINE");
        assertThat(answer.get("riskScore").doubleValue()).isBetween(0.0, 1.0);
        assertThat(answer.get("reasons").isArray()).isTrue();
        assertThat(answer.get("modelVersion").stringValue()).startsWith(FraudServiceEnvironment.MODEL_NAME + ":");
        assertThat(answer.get("degraded").booleanValue()).isFalse();
        assertThat(answer.propertyNames()).containsExactlyInAnyOrder("transactionId", "decision", "riskScore",
                "reasons", "modelVersion", "degraded");

        Map<String, Object> row = row(tx.transactionId());
        assertThat(row).containsEntry("card_token", token).containsEntry("source", "REST")
                .containsEntry("decision", answer.get("decision").stringValue());
        assertThat((String) row.get("tx")).doesNotContain(tx.cardNumber()).doesNotContain("cardNumber");
        assertThat(json((String) row.get("features")).get("amount").doubleValue()).isEqualTo(42.5);

        List<ConsumerRecord<String, String>> decisions = FraudServiceEnvironment.awaitRecords(DECISIONS,
                record -> record.value().contains(tx.transactionId()), 1, WAIT);
        assertThat(decisions).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo(token);
            JsonNode event = json(record.value());
            assertThat(event.get("decision").stringValue()).isEqualTo(answer.get("decision").stringValue());
            assertThat(event.get("cardToken").stringValue()).isEqualTo(token);
            assertThat(record.value()).doesNotContain(tx.cardNumber());
        });
        List<ConsumerRecord<String, String>> forwarded = FraudServiceEnvironment.awaitRecords(TRANSACTIONS,
                record -> record.value().contains(tx.transactionId()), 1, WAIT);
        assertThat(forwarded).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo(token);
            assertThat(record.value()).doesNotContain(tx.cardNumber()).doesNotContain("cardNumber");
            assertThat(header(record, KafkaDecisionPublisher.DECIDED_HEADER)).isEqualTo(tx.transactionId());
        });
        await().atMost(WAIT).until(() -> (Boolean) row(tx.transactionId()).get("published"));
        assertThat(rows(tx.transactionId())).isEqualTo(1);
    }

    @Test
    void aReplayReturnsTheStoredDecisionAndNeverASecondRow() throws Exception {
        TransactionEvent tx = transaction("13.37");

        HttpResponse<String> first = post(Transactions.json(tx));
        HttpResponse<String> replay = post(Transactions.json(tx));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(json(replay.body())).isEqualTo(json(first.body()));
        assertThat(rows(tx.transactionId())).isEqualTo(1);

        TransactionEvent reused = new TransactionEvent(tx.transactionId(), tx.cardNumber(), null, tx.customerId(),
                tx.merchantId(), tx.terminalId(), tx.mcc(), new BigDecimal("999.99"), tx.currency(), tx.timestamp(),
                tx.channel(), tx.deviceId(), tx.ip(), tx.location(), tx.country());
        HttpResponse<String> conflict = post(Transactions.json(reused));
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(json(conflict.body()).get("errors").get(0).get("field").stringValue()).isEqualTo("transactionId");
        assertThat(rows(tx.transactionId())).isEqualTo(1);
    }

    @Test
    void returnsTheStoredDecisionAndAProblemForAnUnknownOne() throws Exception {
        TransactionEvent tx = transaction("5.00");
        JsonNode scored = json(post(Transactions.json(tx)).body());

        HttpResponse<String> found = get("/api/fraud/v1/decisions/" + tx.transactionId());
        HttpResponse<String> missing = get("/api/fraud/v1/decisions/" + RUN + "-nope");

        assertThat(found.statusCode()).isEqualTo(200);
        JsonNode stored = json(found.body());
        assertThat(stored.get("decision")).isEqualTo(scored.get("decision"));
        assertThat(stored.get("riskScore")).isEqualTo(scored.get("riskScore"));
        assertThat(stored.get("modelVersion")).isEqualTo(scored.get("modelVersion"));
        assertThat(stored.get("source").stringValue()).isEqualTo("REST");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(missing.body());
        assertThat(problem.get("status").intValue()).isEqualTo(404);
        assertThat(problem.get("type").stringValue()).endsWith("/decision-not-found");
        assertThat(problem.get("instance").stringValue()).isEqualTo("/api/fraud/v1/decisions/" + RUN + "-nope");
    }

    @Test
    void erasesACustomerAndRefusesAMalformedCustomerId() throws Exception {
        TransactionEvent base = transaction("7.00");
        String customer = RUN + "-erase-me";
        TransactionEvent tx = new TransactionEvent(base.transactionId(), base.cardNumber(), null, customer,
                base.merchantId(), base.terminalId(), base.mcc(), base.amount(), base.currency(), base.timestamp(),
                base.channel(), base.deviceId(), base.ip(), base.location(), base.country());
        assertThat(post(Transactions.json(tx)).statusCode()).isEqualTo(200);

        HttpResponse<String> erased = delete("/api/fraud/v1/customers/" + customer);
        HttpResponse<String> malformed = delete("/api/fraud/v1/customers/has%20space");

        assertThat(erased.statusCode()).isEqualTo(200);
        assertThat(json(erased.body()).get("decisionsDeleted").intValue()).isEqualTo(1);
        assertThat(rows(tx.transactionId())).isZero();
        assertThat(get("/api/fraud/v1/decisions/" + tx.transactionId()).statusCode()).isEqualTo(404);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(malformed.body()).get("errors").get(0).get("field").stringValue()).isEqualTo("customerId");
    }

    @Test
    void decidesTransactionsArrivingOnKafka() throws Exception {
        TransactionEvent tx = transaction("77.10");
        String token = tokenizer.tokenize(tx.cardNumber());

        FraudServiceEnvironment.kafka().send(TRANSACTIONS, tx.transactionId(), EventJson.MAPPER.writeValueAsString(tx));

        await().atMost(WAIT).until(() -> row(tx.transactionId()) != null);
        assertThat(row(tx.transactionId())).containsEntry("source", "KAFKA").containsEntry("card_token", token);
        assertThat(FraudServiceEnvironment.awaitRecords(DECISIONS, record -> record.value().contains(tx.transactionId()),
                1, WAIT)).singleElement().satisfies(record -> assertThat(record.key()).isEqualTo(token));
    }

    @Test
    void sendsUndecidableRecordsToTheDeadLetterTopicAndGoesOn() throws Exception {
        // Ids without digits: the dead-letter path redacts any run of 12+ digits as a possible card number.
        String run = RUN.chars().mapToObj(c -> Character.isDigit(c) ? String.valueOf((char) ('g' + c - '0'))
                : String.valueOf((char) c)).collect(Collectors.joining());
        TransactionEvent tx = transaction("1.00");
        TransactionEvent negative = new TransactionEvent(run + "-negative", tx.cardNumber(), null, tx.customerId(),
                tx.merchantId(), tx.terminalId(), tx.mcc(), tx.amount(), tx.currency(), tx.timestamp(), tx.channel(),
                tx.deviceId(), tx.ip(), tx.location(), tx.country());
        String invalidJson = EventJson.MAPPER.writeValueAsString(negative).replace("\"amount\":1.00", "\"amount\":-3");
        TransactionEvent next = transaction("8.00");
        String key = "same-partition-" + RUN;

        FraudServiceEnvironment.kafka().send(TRANSACTIONS, key, "{\"transactionId\": \"" + run + "-broken\", ");
        FraudServiceEnvironment.kafka().send(TRANSACTIONS, key, invalidJson);
        FraudServiceEnvironment.kafka().send(TRANSACTIONS, key, EventJson.MAPPER.writeValueAsString(next));

        await().atMost(WAIT).until(() -> row(next.transactionId()) != null);
        List<ConsumerRecord<String, String>> dead = FraudServiceEnvironment.awaitRecords(DEAD_LETTER,
                record -> record.value().contains(run + "-broken") || record.value().contains(negative.transactionId()),
                2, WAIT);
        assertThat(dead).hasSize(2);
        ConsumerRecord<String, String> malformed = dead.stream().filter(r -> r.value().contains("-broken")).findFirst().orElseThrow();
        assertThat(header(malformed, "kafka_dlt-exception-message")).contains("not well-formed JSON");
        assertThat(header(malformed, "kafka_dlt-original-topic")).isEqualTo(TRANSACTIONS);
        ConsumerRecord<String, String> invalid = dead.stream().filter(r -> r.value().contains(negative.transactionId()))
                .findFirst().orElseThrow();
        assertThat(json(header(invalid, DeadLetterRecoverer.ERRORS_HEADER)).get(0).get("field").stringValue())
                .isEqualTo("amount");
        assertThat(invalid.value()).doesNotContain(negative.cardNumber())
                .contains(tokenizer.tokenize(negative.cardNumber()));
        assertThat(rows(negative.transactionId())).isZero();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header " + name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    static Stream<Arguments> badInput() {
        String valid = Transactions.json(transaction("10.00"));
        return Stream.of(
                Arguments.of("malformed JSON", valid.substring(0, 40), "body"),
                Arguments.of("missing field", valid.replaceFirst("\"merchantId\": \"m-9\",", ""), "merchantId"),
                Arguments.of("unknown field", valid.replaceFirst("\\{", "{\"loyaltyPoints\": 3, "), "loyaltyPoints"),
                Arguments.of("extra card token", valid.replaceFirst("\\{", "{\"cardToken\": \"ct_x\", "), "cardToken"),
                Arguments.of("negative amount", valid.replace("\"amount\": 10.00", "\"amount\": -10.00"), "amount"),
                Arguments.of("zero amount", valid.replace("\"amount\": 10.00", "\"amount\": 0"), "amount"),
                Arguments.of("NaN amount", valid.replace("\"amount\": 10.00", "\"amount\": NaN"), "amount"),
                Arguments.of("infinite amount", valid.replace("\"amount\": 10.00", "\"amount\": Infinity"), "amount"),
                Arguments.of("NaN as a string", valid.replace("\"amount\": 10.00", "\"amount\": \"NaN\""), "amount"),
                Arguments.of("unknown currency", valid.replace("\"EUR\"", "\"XYZ\""), "currency"),
                Arguments.of("future timestamp", valid.replaceFirst("\"timestamp\": \"[^\"]+\"",
                        "\"timestamp\": \"2099-01-01T00:00:00Z\""), "timestamp"),
                Arguments.of("card number failing Luhn", valid.replaceFirst("\"cardNumber\": \"\\d+\"",
                        "\"cardNumber\": \"4111111111111112\""), "cardNumber"),
                Arguments.of("location without longitude", valid.replace(", \"lon\": 2.35", ""), "location.lon"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void refusesBadInputWithAProblemNamingTheField(String name, String body, String field) throws Exception {
        String id = body.contains("\"transactionId\": \"") ? body.split("\"transactionId\": \"")[1].split("\"")[0] : null;

        HttpResponse<String> response = post(body, "application/json", Map.of("X-Request-Id", "req-" + RUN));

        assertThat(response.statusCode()).as(name).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(response.body());
        assertThat(problem.get("type").stringValue()).isEqualTo("https://mlplatform.dev/problems/invalid-transaction");
        assertThat(problem.get("title").stringValue()).isNotBlank();
        assertThat(problem.get("status").intValue()).isEqualTo(400);
        assertThat(problem.get("detail").stringValue()).isNotBlank();
        assertThat(problem.get("instance").stringValue()).isEqualTo("/api/fraud/v1/score");
        assertThat(problem.get("requestId").stringValue()).isEqualTo("req-" + RUN);
        assertThat(problem.get("errors")).extracting(error -> error.get("field").stringValue()).contains(field);
        java.util.regex.Matcher pan = java.util.regex.Pattern.compile("\"cardNumber\": \"(\\d+)\"").matcher(body);
        if (pan.find()) {
            assertThat(response.body()).doesNotContain(pan.group(1));
        }
        if (id != null) {
            assertThat(rows(id)).as("nothing stored").isZero();
        }
    }

    @Test
    void refusesABodyOverTheLimitAndOtherMediaTypes() throws Exception {
        TransactionEvent tx = transaction("10.00");
        String huge = Transactions.json(tx).replace("\"dev-1\"", "\"" + "d".repeat(70_000) + "\"");

        HttpResponse<String> tooLarge = post(huge);
        HttpResponse<String> text = post(Transactions.json(tx), "text/plain", Map.of());

        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(tooLarge.body()).get("errors").get(0).get("field").stringValue()).isEqualTo("body");
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(text.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(rows(tx.transactionId())).isZero();
    }

    @Test
    void rulesAreRowsThatApplyAndStopApplyingWithoutARestart() throws Exception {
        TransactionEvent tx = transaction("3.00");
        String ruleName = "block-" + RUN;
        execute("INSERT INTO fraud.rules (name, type, parameters, action) VALUES (?, 'CARD_BLOCKLIST', ?::jsonb, 'DECLINE')",
                ruleName, "{\"cardTokens\": [\"" + tokenizer.tokenize(tx.cardNumber()) + "\"]}");
        try {
            await().atMost(WAIT).until(() -> rules.current().rules().stream().map(Rule::name).anyMatch(ruleName::equals));

            JsonNode declined = json(post(Transactions.json(tx)).body());

            assertThat(declined.get("decision").stringValue()).isEqualTo("DECLINE");
            assertThat(declined.get("reasons").get(0).stringValue()).isEqualTo("rule:" + ruleName);

            execute("UPDATE fraud.rules SET enabled = false WHERE name = ?", ruleName);
            await().atMost(WAIT).until(() -> rules.current().rules().stream().map(Rule::name).noneMatch(ruleName::equals));
            TransactionEvent later = new TransactionEvent(tx.transactionId() + "-2", tx.cardNumber(), null,
                    tx.customerId(), tx.merchantId(), tx.terminalId(), tx.mcc(), tx.amount(), tx.currency(),
                    tx.timestamp(), tx.channel(), tx.deviceId(), tx.ip(), tx.location(), tx.country());
            JsonNode after = json(post(Transactions.json(later)).body());
            assertThat(after.get("reasons").toString()).doesNotContain(ruleName);
        } finally {
            execute("DELETE FROM fraud.rules WHERE name = ?", ruleName);
        }
    }

    @Test
    void usesTheCardsOnlineVelocityWithTheTransactionIncluded() throws Exception {
        TransactionEvent tx = transaction("4.00");
        String token = tokenizer.tokenize(tx.cardNumber());
        String ruleName = "burst-" + RUN;
        try (RedisOnlineStore store = RedisOnlineStore.connect(FraudServiceEnvironment.redisUrl(), Duration.ofSeconds(2))) {
            store.writeBatch(FraudFeatures.CARD_VELOCITY, List.of(new FeatureRow(token, tx.timestamp().minusSeconds(10),
                    Map.of("tx_count_1m", 6L, "tx_amount_1m", 30.0, "tx_count_5m", 6L, "tx_amount_5m", 30.0,
                            "tx_count_1h", 7L, "tx_amount_1h", 80.0))));
            execute("INSERT INTO fraud.rules (name, type, parameters, action) VALUES (?, 'VELOCITY_LIMIT', ?::jsonb, 'REVIEW')",
                    ruleName, "{\"window\": \"1m\", \"maxCount\": 6, \"maxAmount\": 1000000}");
            try {
                await().atMost(WAIT).until(() -> rules.current().rules().stream().map(Rule::name).anyMatch(ruleName::equals));

                JsonNode answer = json(post(Transactions.json(tx)).body());

                assertThat(answer.get("degraded").booleanValue()).isFalse();
                assertThat(answer.get("decision").stringValue()).isIn("REVIEW", "DECLINE");
                assertThat(answer.get("reasons").toString()).contains("rule:" + ruleName);
                JsonNode features = json((String) row(tx.transactionId()).get("features"));
                assertThat(features.get("tx_count_1m").doubleValue()).isEqualTo(7.0);
                assertThat(features.get("tx_amount_1h").doubleValue()).isEqualTo(84.0);
            } finally {
                execute("DELETE FROM fraud.rules WHERE name = ?", ruleName);
                store.delete(FraudFeatures.CARD_VELOCITY, token);
            }
        }
    }

    @Test
    void exposesMetricsProbesAndTheApiDocument() throws Exception {
        post(Transactions.json(transaction("9.99")));

        HttpResponse<String> prometheus = get("/actuator/prometheus");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body())
                .contains("fraud_scoring_latency_seconds_bucket{")
                .contains("fraud_decisions_total{")
                .contains("fraud_model_serving{version=\"" + FraudServiceEnvironment.MODEL_NAME + ":")
                .contains("fraud_features_freshness_seconds_bucket")
                .contains("http_server_requests_seconds_bucket{")
                .contains("kafka_consumer_fetch_manager_records_lag_max")
                .contains("resilience4j_circuitbreaker_state");
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        HttpResponse<String> api = get("/v3/api-docs");
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.body()).contains("/api/fraud/v1/score").contains("/api/fraud/v1/decisions/{transactionId}");
    }

    @Test
    void describesTheServingModelAndTheRulesInForce() throws Exception {
        HttpResponse<String> model = get("/api/fraud/v1/model");
        HttpResponse<String> inForce = get("/api/fraud/v1/rules");

        assertThat(model.statusCode()).isEqualTo(200);
        JsonNode described = json(model.body());
        assertThat(described.get("version").stringValue()).startsWith(FraudServiceEnvironment.MODEL_NAME + ":");
        assertThat(described.get("stage").stringValue()).isEqualTo("PRODUCTION");
        assertThat(described.get("metrics").get("auc_roc").doubleValue()).isBetween(0.5, 1.0);
        assertThat(described.get("trainingDataId").stringValue()).startsWith("simulator:");
        assertThat(described.get("featureViews").get(0).stringValue()).isEqualTo("card_velocity:v1");
        assertThat(inForce.statusCode()).isEqualTo(200);
        assertThat(json(inForce.body())).extracting(rule -> rule.get("name").stringValue())
                .containsExactlyElementsOf(rules.current().rules().stream().map(Rule::name).toList());
    }

    @Test
    void followsAPromotionAndARollbackInTheRegistryWithoutARestart() throws Exception {
        String name = FraudServiceEnvironment.MODEL_NAME;
        ModelVersion champion = registry.production(name).orElseThrow();
        ModelVersion challenger = registry.register(new ModelRegistration(name, ModelFormat.ONNX, champion.metrics(),
                champion.lineage()), registry.artifact(champion));
        try {
            registry.promote(name, challenger.version(), "test: blue-green swap");
            models.refresh();

            assertThat(json(post(Transactions.json(transaction("6.00"))).body()).get("modelVersion").stringValue())
                    .isEqualTo(challenger.reference());
        } finally {
            registry.rollback(name, "test: back to the champion");
            models.refresh();
        }
        assertThat(json(post(Transactions.json(transaction("6.00"))).body()).get("modelVersion").stringValue())
                .isEqualTo(champion.reference());
    }

    @Test
    void echoesTheGatewaysRequestId() throws Exception {
        HttpResponse<String> response = post(Transactions.json(transaction("2.00")), "application/json",
                Map.of("X-Request-Id", "gw-" + RUN));

        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("gw-" + RUN);
    }

    private HttpResponse<String> postTo(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void trainsOnHistoricalDataThroughTheApiAndRegistersTheModelAsACandidate() throws Exception {
        String runs = "/api/fraud/v1/training-runs";
        String split = "\"trainStart\": \"2018-04-04\", \"trainDays\": 4, \"delayDays\": 2, \"testDays\": 3";
        HttpResponse<String> outside = postTo(runs, "{\"data\": \"../../pom.xml\", " + split + "}");
        assertThat(outside.statusCode()).as(outside.body()).isEqualTo(400);
        assertThat(outside.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(outside.body()).contains("\"field\":\"data\"");
        assertThat(postTo(runs, "{\"data\": \"x.csv\", \"epochs\": 3, " + split + "}").statusCode())
                .as("an unknown field").isEqualTo(400);

        HttpResponse<String> started = postTo(runs, "{\"data\": \"" + FraudServiceEnvironment.TRAINING_DATA
                + "\", \"modelName\": \"fraud-sim-gbdt-api-it\", " + split + "}");

        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String location = started.headers().firstValue("Location").orElseThrow();
        JsonNode run = json(get(location).body());
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while ("RUNNING".equals(run.get("status").stringValue()) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            run = json(get(location).body());
        }
        assertThat(run.get("status").stringValue()).as(run.toString()).isEqualTo("SUCCEEDED");
        JsonNode result = run.get("result");
        assertThat(result.get("auc_roc").doubleValue()).isGreaterThan(0.7);
        assertThat(run.get("progress").size()).isPositive();
        JsonNode model = result.get("model");
        assertThat(model.get("stage").stringValue()).isEqualTo("REGISTERED");
        ModelVersion registered = registry.version("fraud-sim-gbdt-api-it", model.get("version").intValue())
                .orElseThrow();
        assertThat(registered.metrics().get("auc_roc")).isEqualTo(result.get("auc_roc").doubleValue());

        HttpResponse<String> unknown = get(runs + "/no-such-run");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
    }
}
