package dev.mlplatform.recsys;

import static dev.mlplatform.recsys.ServiceClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mlplatform.featurestore.FeatureStore;
import dev.mlplatform.featurestore.definitions.RecsysFeatures;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.recsys.serving.ServingExperiments;
import dev.mlplatform.testsupport.DashboardCheck;
import dev.mlplatform.testsupport.DashboardCheck.Series;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import tools.jackson.databind.JsonNode;

/**
 * The service as Prometheus and Grafana see it: every metric and label that the alert rules
 * ({@code deploy/prometheus/rules/recsys.yml}) and the dashboard ({@code deploy/grafana/dashboards/recsys.json})
 * query, present in a real scrape of {@code /actuator/prometheus} once the service has served a personal, a
 * cold-start and a degraded list, taken an interaction on the personal one and closed that impression into its
 * experiment arm.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(RecsysServiceEnvironment.class)
class ObservabilityIT {

    private static final String RUN = "obs" + Long.toHexString(System.nanoTime());
    private static final DashboardCheck DASHBOARD = new DashboardCheck(DashboardCheck.DEPLOY, "recsys.json",
            "recsys.yml");

    @LocalServerPort
    int port;
    @Autowired
    FeatureStore store;
    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Test
    void theAlertRulesAreWellFormed() throws IOException {
        List<Map<String, Object>> rules = DASHBOARD.alertRules();

        assertThat(DASHBOARD.alertRuleProblems()).isEmpty();
        assertThat(rules).extracting(rule -> rule.get("alert")).contains("RecsysRecommendationLatencyHigh",
                "RecsysDegradedListsHigh", "RecsysFeedbackLagGrowing");
        Map<String, Object> latency = rule(rules, "RecsysRecommendationLatencyHigh");
        assertThat(latency.get("for")).isEqualTo("5m");
        assertThat((String) latency.get("expr")).contains("histogram_quantile(0.99,").endsWith("> 0.1\n");
        Map<String, Object> degraded = rule(rules, "RecsysDegradedListsHigh");
        assertThat(degraded.get("for")).isEqualTo("5m");
        assertThat((String) degraded.get("expr")).contains("degraded=\"true\"").endsWith("> 0.05\n");
    }

    @Test
    void theDashboardQueriesTheProvisionedPrometheus() throws IOException {
        assertThat(DASHBOARD.dashboardProblems()).isEmpty();
    }

    @Test
    void everyMetricAndLabelTheAlertsAndTheDashboardQueryIsExported() throws Exception {
        ServiceClient service = new ServiceClient(port);
        service.putItem(id("a"), "Film a", "drama");
        service.putItem(id("b"), "Film b", "comedy");
        String reader = id("reader");
        candidates(reader, id("a") + ":0.9," + id("b") + ":0.5");
        // A row the service cannot read fails the store read as a store that does not answer: served from memory.
        String unreadable = id("unreadable");
        candidates(unreadable, "not a ranked list");

        JsonNode personal = json(service.get("/api/recs/v1/users/" + reader + "/recommendations"), 200);
        assertThat(personal.get("coldStart").asBoolean()).isFalse();
        assertThat(personal.get("degraded").asBoolean()).isFalse();
        assertThat(json(service.get("/api/recs/v1/users/" + id("newcomer") + "/recommendations"), 200)
                .get("coldStart").asBoolean()).isTrue();
        assertThat(json(service.get("/api/recs/v1/users/" + unreadable + "/recommendations"), 200)
                .get("degraded").asBoolean()).isTrue();

        String arm = personal.get("arm").asString();
        double clicksBefore = clicks(DashboardCheck.scrape(port), arm);
        RecsysServiceEnvironment.awaitFeedbackConsumer(listeners);
        json(service.post("/api/recs/v1/interactions", """
                {"eventId": "%s", "userId": "%s", "itemId": "%s", "type": "watch", "watchSeconds": 600,
                 "timestamp": "%s"}""".formatted(id("w1"), reader, id("b"), Instant.now())), 202);
        // The impression closes into its arm once the attribution window (2 s here) has passed.
        await().atMost(Duration.ofSeconds(30)).until(() -> clicks(DashboardCheck.scrape(port), arm) > clicksBefore);
        // The consumer has a lag per partition once it has fetched from it; Micrometer binds new client metrics
        // once a minute.
        await().atMost(Duration.ofSeconds(90)).until(() -> DashboardCheck.scrape(port)
                .containsKey("kafka_consumer_fetch_manager_records_lag"));

        assertThat(DASHBOARD.exportProblems(DashboardCheck.scrape(port), Map.of())).isEmpty();
        assertThat(DASHBOARD.queriedMetrics()).contains("recs_recommendations_seconds_bucket",
                "recs_recommendations_seconds_count", "recs_recommended_items_total", "recs_feedback_clicks_total",
                "recs_feedback_duplicates_total", "recs_experiment_units_total", "recs_experiment_hits_total",
                "recs_experiment_value_sum", "http_server_requests_seconds_bucket", "http_server_requests_seconds_count",
                "kafka_consumer_fetch_manager_records_lag", "recs_model_serving", "up");
    }

    private void candidates(String user, String items) {
        store.write(RecsysFeatures.USER_CANDIDATES, List.of(new FeatureRow(user, Instant.now(), Map.of(
                "items", items, "model", "recs-ease:1", "computed_at", Instant.now().toEpochMilli()))));
    }

    /** The impressions of {@code arm} of the run's experiment that were clicked. */
    private static double clicks(Map<String, List<Series>> scraped, String arm) {
        return scraped.getOrDefault("recs_experiment_hits_total", List.of()).stream()
                .filter(series -> RecsysServiceEnvironment.EXPERIMENT.equals(series.labels().get("experiment"))
                        && arm.equals(series.labels().get("arm"))
                        && ServingExperiments.CLICK.equals(series.labels().get("metric")))
                .mapToDouble(Series::value).sum();
    }

    private static Map<String, Object> rule(List<Map<String, Object>> rules, String alert) {
        return rules.stream().filter(rule -> rule.get("alert").equals(alert)).findFirst().orElseThrow();
    }

    private static String id(String name) {
        return RUN + "-" + name;
    }
}
