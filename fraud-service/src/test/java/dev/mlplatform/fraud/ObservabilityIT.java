package dev.mlplatform.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.core.registry.ModelFormat;
import dev.mlplatform.core.registry.ModelRegistration;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.fraud.model.ServingDrift;
import dev.mlplatform.fraud.model.TestModels;
import dev.mlplatform.testsupport.DashboardCheck;
import dev.mlplatform.testsupport.DashboardCheck.Series;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service as Prometheus and Grafana see it: drift gauges that rise under shifted traffic, and
 * every metric and label that the alert rules ({@code deploy/prometheus/rules}) and the dashboard
 * ({@code deploy/grafana/dashboards}) query, present in a real scrape of {@code /actuator/prometheus}.
 *
 * <p>Its own context: a model registered under its own name, trained by this code on the first
 * run so that it carries a drift reference, topics and a consumer group of its own (consuming,
 * so that the Kafka consumer's lag is exported), an experiment and, for the last test, a shadow model
 * (so that the challenger panels find their series).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ObservabilityIT {

    private static final String MODEL_NAME = "fraud-gbdt-observability-it";
    private static final int DRIFT_WINDOW = 200;
    private static final String TRANSACTIONS_TOPIC = "fraud.transactions.v1.observability";
    /** This context consumes a topic of its own: where a query names the service's topic, it reads this one. */
    private static final Map<String, String> STAND_INS = Map.of("fraud.transactions.v1", TRANSACTIONS_TOPIC);
    /** The threshold of the FraudScoreDrift alert. */
    private static final double SIGNIFICANT_PSI = 0.2;
    private static final String RUN = "obs-" + Long.toHexString(System.nanoTime());
    private static final DashboardCheck DASHBOARD = new DashboardCheck(DashboardCheck.DEPLOY, "fraud.json", "fraud.yml");

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        FraudServiceEnvironment.register(registry);
        registry.add("fraud.model.name", () -> MODEL_NAME);
        registry.add("fraud.drift.window", () -> Integer.toString(DRIFT_WINDOW));
        registry.add("fraud.topics.transactions", () -> TRANSACTIONS_TOPIC);
        registry.add("fraud.topics.decisions", () -> "fraud.decisions.v1.observability");
        registry.add("fraud.topics.dead-letter", () -> "fraud.transactions.dlq.v1.observability");
        registry.add("fraud.topics.group", () -> "fraud-service-observability");
        String experiment = "fraud.experiments.observability";
        registry.add(experiment + ".start", () -> "2026-01-01T00:00:00Z");
        registry.add(experiment + ".arms[0].name", () -> "champion");
        registry.add(experiment + ".arms[0].weight", () -> "90");
        registry.add(experiment + ".arms[0].stage", () -> "production");
        registry.add(experiment + ".arms[1].name", () -> "challenger");
        registry.add(experiment + ".arms[1].weight", () -> "10");
        registry.add(experiment + ".arms[1].stage", () -> "canary");
    }

    @Autowired
    ModelRegistry models;

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void ready() throws Exception {
        FraudServiceEnvironment.awaitReady(port);
    }

    @AfterAll
    static void removeRows() {
        FraudServiceEnvironment.removeDecisions(RUN);
    }

    @Test
    void shiftedTrafficRaisesTheScoreDriftAboveTheAlertThreshold() throws Exception {
        // The model was measured on simulated days where nearly every amount is under a few hundred euros.
        for (int i = 0; i < DRIFT_WINDOW + 50; i++) {
            score(ThreadLocalRandom.current().nextInt(2_000, 5_000) + ".00");
        }

        Map<String, List<Series>> scraped = DashboardCheck.scrape(port);

        assertThat(value(scraped, "fraud_drift_window_observations", ServingDrift.RISK_SCORE)).isEqualTo(DRIFT_WINDOW);
        assertThat(value(scraped, "fraud_drift_psi", ServingDrift.RISK_SCORE)).isGreaterThan(SIGNIFICANT_PSI);
        assertThat(value(scraped, "fraud_drift_psi", "amount")).isGreaterThan(SIGNIFICANT_PSI);
        assertThat(value(scraped, "fraud_drift_ks", "amount")).isGreaterThan(0.5);
    }

    @Test
    void theAlertRulesAreWellFormed() throws IOException {
        List<Map<String, Object>> rules = DASHBOARD.alertRules();

        assertThat(DASHBOARD.alertRuleProblems()).isEmpty();
        assertThat(rules).extracting(rule -> rule.get("alert")).contains("FraudScoreDrift",
                "FraudDegradedDecisionsHigh", "FraudConsumerLagGrowing", "FraudScoringLatencyHigh", "FraudNoModelLoaded");
        Map<String, Object> drift = rules.stream().filter(rule -> rule.get("alert").equals("FraudScoreDrift"))
                .findFirst().orElseThrow();
        assertThat(drift.get("for")).isEqualTo("15m");
        assertThat((String) drift.get("expr")).contains("feature=\"risk_score\"").contains("> " + SIGNIFICANT_PSI);
    }

    @Test
    void theDashboardQueriesTheProvisionedPrometheus() throws IOException {
        assertThat(DASHBOARD.dashboardProblems()).isEmpty();
    }

    @Test
    void everyMetricAndLabelTheAlertsAndTheDashboardQueryIsExported() throws Exception {
        ModelVersion production = models.production(MODEL_NAME).orElseThrow();
        ModelVersion shadow = models.register(new ModelRegistration(MODEL_NAME, ModelFormat.ONNX, production.metrics(),
                production.lineage()), TestModels.amountModelOnnx());
        ServiceClient service = new ServiceClient(port, RUN);
        try {
            HttpResponse<String> moved = service.post("/api/fraud/v1/models/" + shadow.version() + "/stage",
                    "{\"stage\": \"SHADOW\", \"reason\": \"test: the challenger panels\"}");
            assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
            score("25.00");
            // The consumer exports its lag once it has fetched from its partitions.
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> DashboardCheck.scrape(port).containsKey("kafka_consumer_fetch_manager_records_lag"));

            assertThat(DASHBOARD.exportProblems(DashboardCheck.scrape(port), STAND_INS)).isEmpty();
            assertThat(DASHBOARD.queriedMetrics()).contains("fraud_drift_psi", "fraud_decisions_total",
                    "fraud_scoring_latency_seconds_bucket", "http_server_requests_seconds_bucket", "fraud_model_serving",
                    "kafka_consumer_fetch_manager_records_lag", "fraud_features_freshness_seconds_bucket",
                    "fraud_shadow_score_bucket", "fraud_experiment_units_total", "up");
        } finally {
            service.post("/api/fraud/v1/models/" + shadow.version() + "/stage",
                    "{\"stage\": \"ARCHIVED\", \"reason\": \"test: done\"}");
            service.removeVersion(MODEL_NAME, shadow.version());
        }
    }

    private void score(String amount) throws Exception {
        TransactionEvent tx = Transactions.transaction(amount, Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(1));
        TransactionEvent ours = new TransactionEvent(RUN + "-" + tx.transactionId(), tx.cardNumber(), null,
                tx.customerId(), tx.merchantId(), tx.terminalId(), tx.mcc(), new BigDecimal(amount), tx.currency(),
                tx.timestamp(), tx.channel(), tx.deviceId(), tx.ip(), tx.location(), tx.country());
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/fraud/v1/score"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Transactions.json(ours))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static double value(Map<String, List<Series>> scraped, String metric, String feature) {
        assertThat(scraped).as("scrape").containsKey(metric);
        return scraped.get(metric).stream()
                .filter(series -> feature.equals(series.labels().get("feature"))
                        && series.labels().getOrDefault("version", "").startsWith(MODEL_NAME + ":"))
                .mapToDouble(Series::value).findFirst()
                .orElseThrow(() -> new AssertionError("no " + metric + "{feature=\"" + feature + "\"} in the scrape"));
    }
}
