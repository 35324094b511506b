package dev.mlplatform.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.core.registry.ModelFormat;
import dev.mlplatform.core.registry.ModelRegistration;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.fraud.model.ServingDrift;
import dev.mlplatform.fraud.model.TestModels;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

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
    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    /** Series that Prometheus records itself for every target. */
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up");
    /** Labels that Prometheus attaches at scrape time. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
    private static final Set<String> PROMQL_KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by",
            "without", "on", "ignoring", "group_left", "group_right", "inf", "nan");

    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern LABEL_MATCHER = Pattern.compile(
            "([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern IDENTIFIER_NOT_CALLED = Pattern.compile("\\b[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");

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

        Map<String, List<Series>> scraped = scrape();

        assertThat(value(scraped, "fraud_drift_window_observations", ServingDrift.RISK_SCORE)).isEqualTo(DRIFT_WINDOW);
        assertThat(value(scraped, "fraud_drift_psi", ServingDrift.RISK_SCORE)).isGreaterThan(SIGNIFICANT_PSI);
        assertThat(value(scraped, "fraud_drift_psi", "amount")).isGreaterThan(SIGNIFICANT_PSI);
        assertThat(value(scraped, "fraud_drift_ks", "amount")).isGreaterThan(0.5);
    }

    @Test
    void theAlertRulesAreWellFormed() throws IOException {
        List<Map<String, Object>> rules = alertRules();

        assertThat(rules).extracting(rule -> rule.get("alert")).doesNotHaveDuplicates().contains("FraudScoreDrift",
                "FraudDegradedDecisionsHigh", "FraudConsumerLagGrowing", "FraudScoringLatencyHigh", "FraudNoModelLoaded");
        for (Map<String, Object> rule : rules) {
            String name = String.valueOf(rule.get("alert"));
            assertThat(rule.keySet()).as(name).isSubsetOf("alert", "expr", "for", "keep_firing_for", "labels", "annotations");
            assertThat(name).matches("[A-Z][A-Za-z0-9]+");
            assertThat(balanced((String) rule.get("expr"))).as(name + " expr brackets").isTrue();
            assertThat(String.valueOf(rule.get("for"))).as(name + " for").matches("\\d+[smh]");
            assertThat(map(rule.get("labels")).get("severity")).as(name + " severity").isIn(SEVERITIES);
            assertThat(map(rule.get("annotations"))).as(name + " annotations").containsKeys("summary", "description");
        }
        Map<String, Object> drift = rules.stream().filter(rule -> rule.get("alert").equals("FraudScoreDrift"))
                .findFirst().orElseThrow();
        assertThat(drift.get("for")).isEqualTo("15m");
        assertThat((String) drift.get("expr")).contains("feature=\"risk_score\"").contains("> " + SIGNIFICANT_PSI);
    }

    @Test
    void theDashboardQueriesTheProvisionedPrometheus() throws IOException {
        Map<String, Object> datasources = yaml(DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml"));
        Object uid = map(((List<?>) datasources.get("datasources")).get(0)).get("uid");

        List<JsonNode> panels = dashboardPanels();

        assertThat(panels).isNotEmpty().allSatisfy(panel -> {
            assertThat(panel.get("datasource").get("uid").stringValue()).as(panel.get("title").stringValue())
                    .isEqualTo(uid);
            assertThat(panel.get("targets").isEmpty()).as(panel.get("title").stringValue()).isFalse();
            panel.get("targets").forEach(target -> assertThat(balanced(target.get("expr").stringValue()))
                    .as(target.get("expr").stringValue()).isTrue());
        });
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
            assertEveryQueriedSeriesIsExported();
        } finally {
            service.post("/api/fraud/v1/models/" + shadow.version() + "/stage",
                    "{\"stage\": \"ARCHIVED\", \"reason\": \"test: done\"}");
            service.removeVersion(MODEL_NAME, shadow.version());
        }
    }

    private void assertEveryQueriedSeriesIsExported() throws Exception {
        Map<String, String> queries = new LinkedHashMap<>();
        alertRules().forEach(rule -> queries.put("alert " + rule.get("alert"), (String) rule.get("expr")));
        for (JsonNode panel : dashboardPanels()) {
            panel.get("targets").forEach(target -> queries.put("panel '" + panel.get("title").stringValue() + "' "
                    + target.get("refId").stringValue(), target.get("expr").stringValue()));
        }
        Set<String> jobs = scrapeJobs();

        // The consumer exports its lag once it has fetched from its partitions.
        await().atMost(Duration.ofSeconds(60)).until(() -> scrape().containsKey("kafka_consumer_fetch_manager_records_lag"));
        Map<String, List<Series>> scraped = scrape();

        List<String> problems = new ArrayList<>();
        Set<String> queried = new HashSet<>();
        queries.forEach((where, expr) -> {
            for (String metric : metricNames(expr)) {
                queried.add(metric);
                if (!scraped.containsKey(metric) && !PROMETHEUS_SERIES.contains(metric)) {
                    problems.add(where + ": metric " + metric + " is not exported");
                }
            }
            Matcher selector = SELECTOR.matcher(expr);
            while (selector.find()) {
                String metric = selector.group(1);
                Matcher matcher = LABEL_MATCHER.matcher(selector.group(2));
                while (matcher.find()) {
                    String label = matcher.group(1);
                    String value = STAND_INS.getOrDefault(matcher.group(3), matcher.group(3));
                    if (label.equals("job")) {
                        if (matcher.group(2).equals("=") && !jobs.contains(value)) {
                            problems.add(where + ": job " + value + " is not scraped by prometheus.yml " + jobs);
                        }
                    } else if (!TARGET_LABELS.contains(label) && scraped.containsKey(metric)) {
                        List<Series> series = scraped.get(metric);
                        if (series.stream().noneMatch(s -> s.labels().containsKey(label))) {
                            problems.add(where + ": " + metric + " has no label " + label);
                        } else if (matcher.group(2).equals("=")
                                && series.stream().noneMatch(s -> value.equals(s.labels().get(label)))) {
                            problems.add(where + ": " + metric + " has no series with " + label + "=\"" + value + "\"");
                        }
                    }
                }
            }
        });
        assertThat(problems).isEmpty();
        assertThat(queried).contains("fraud_drift_psi", "fraud_decisions_total", "fraud_scoring_latency_seconds_bucket",
                "http_server_requests_seconds_bucket", "fraud_model_serving", "kafka_consumer_fetch_manager_records_lag",
                "fraud_features_freshness_seconds_bucket", "fraud_shadow_score_bucket", "fraud_experiment_units_total", "up");
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

    /** One exported series. */
    private record Series(Map<String, String> labels, double value) {
    }

    /** {@code /actuator/prometheus}, by metric name as Prometheus stores it. */
    private Map<String, List<Series>> scrape() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, List<Series>> series = new HashMap<>();
        for (String line : response.body().lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int labelsStart = line.indexOf('{');
            int labelsEnd = line.lastIndexOf('}');
            String name = labelsStart >= 0 ? line.substring(0, labelsStart) : line.substring(0, line.indexOf(' '));
            Map<String, String> labels = new HashMap<>();
            if (labelsStart >= 0) {
                Matcher label = LABEL_MATCHER.matcher(line.substring(labelsStart + 1, labelsEnd));
                while (label.find()) {
                    labels.put(label.group(1), label.group(3));
                }
            }
            String value = line.substring((labelsStart >= 0 ? labelsEnd : line.indexOf(' ')) + 1).trim().split(" ")[0];
            series.computeIfAbsent(name, n -> new ArrayList<>()).add(new Series(labels, Double.parseDouble(value)));
        }
        return series;
    }

    private static double value(Map<String, List<Series>> scraped, String metric, String feature) {
        assertThat(scraped).as("scrape").containsKey(metric);
        return scraped.get(metric).stream()
                .filter(series -> feature.equals(series.labels().get("feature"))
                        && series.labels().getOrDefault("version", "").startsWith(MODEL_NAME + ":"))
                .mapToDouble(Series::value).findFirst()
                .orElseThrow(() -> new AssertionError("no " + metric + "{feature=\"" + feature + "\"} in the scrape"));
    }

    /**
     * The metric names an expression reads: identifiers that are not functions, keywords or label
     * names, once strings, label matchers, ranges and grouping clauses are taken out.
     */
    private static Set<String> metricNames(String expr) {
        String bare = STRING_LITERAL.matcher(expr).replaceAll("\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new HashSet<>();
        Matcher identifier = IDENTIFIER_NOT_CALLED.matcher(bare);
        while (identifier.find()) {
            if (!PROMQL_KEYWORDS.contains(identifier.group().toLowerCase())) {
                names.add(identifier.group());
            }
        }
        return names;
    }

    /** Whether every bracket outside strings closes in order. */
    private static boolean balanced(String expr) {
        Map<Character, Character> opening = Map.of(')', '(', '}', '{', ']', '[');
        Deque<Character> open = new ArrayDeque<>();
        for (char c : STRING_LITERAL.matcher(expr).replaceAll("\"\"").toCharArray()) {
            if (opening.containsValue(c)) {
                open.push(c);
            } else if (opening.containsKey(c) && (open.isEmpty() || !open.pop().equals(opening.get(c)))) {
                return false;
            }
        }
        return open.isEmpty();
    }

    private static List<Map<String, Object>> alertRules() throws IOException {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Object group : (List<?>) yaml(DEPLOY.resolve("prometheus/rules/fraud.yml")).get("groups")) {
            assertThat(map(group)).containsKeys("name", "rules");
            ((List<?>) map(group).get("rules")).forEach(rule -> rules.add(map(rule)));
        }
        return rules;
    }

    private static Set<String> scrapeJobs() throws IOException {
        Set<String> jobs = new HashSet<>();
        for (Object config : (List<?>) yaml(DEPLOY.resolve("prometheus/prometheus.yml")).get("scrape_configs")) {
            jobs.add((String) map(config).get("job_name"));
        }
        return jobs;
    }

    private static List<JsonNode> dashboardPanels() throws IOException {
        JsonNode dashboard = EventJson.MAPPER.readTree(Files.readString(DEPLOY.resolve("grafana/dashboards/fraud.json")));
        List<JsonNode> panels = new ArrayList<>();
        dashboard.get("panels").forEach(panel -> {
            if (!panel.get("type").stringValue().equals("row")) {
                panels.add(panel);
            }
        });
        return panels;
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        assertThat(yaml).isInstanceOf(Map.class);
        return (Map<String, Object>) yaml;
    }
}
