package dev.mlplatform.testsupport;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service's Grafana dashboard and Prometheus alert rules, checked as Grafana and Prometheus will read them:
 * against the repository's {@code deploy} folder (the provisioned data source, the scrape jobs of
 * {@code prometheus/prometheus.yml}) and against a real scrape of the service's {@code /actuator/prometheus}.
 * Each check returns its problems, each naming the alert or panel at fault, so that a test reports them all at once.
 *
 * <p>The PromQL is read, not parsed: string literals, label matchers, ranges and grouping clauses are told apart
 * well enough to find the metric names and label matchers of the expressions this repository writes.
 */
public final class DashboardCheck {

    /** The repository's {@code deploy} folder, seen from a module's folder, where Maven runs the module's tests. */
    public static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();

    /** Series that Prometheus records itself for every target. */
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up");
    /** Labels that Prometheus attaches at scrape time. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
    private static final Set<String> ALERT_KEYS = Set.of("alert", "expr", "for", "keep_firing_for", "labels",
            "annotations");
    private static final Set<String> PROMQL_KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by",
            "without", "on", "ignoring", "group_left", "group_right", "inf", "nan");

    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    /** Ranges, subqueries and grouping clauses: brackets whose content names no metric. */
    private static final Pattern NO_METRIC_INSIDE = Pattern.compile(
            "\\[[^]]*]|\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    /** Label matchers without a metric name, or a name that is not a function's with its label matchers, if any. */
    private static final Pattern SELECTOR = Pattern.compile(
            "\\{[^}]*}|\\b([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()(\\s*\\{[^}]*})?");
    private static final Pattern LABEL_MATCHER = Pattern.compile(
            "([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One exported series. */
    public record Series(Map<String, String> labels, double value) {
    }

    /** A metric an expression reads, with its label matchers. */
    record Selector(String metric, List<LabelMatcher> matchers) {
    }

    record LabelMatcher(String label, String operator, String value) {
    }

    /** One PromQL expression and where it is: an alert, or a panel's target. */
    private record Query(String where, String expr) {
    }

    private final Path deploy;
    private final Path dashboard;
    private final Path alertRules;

    /**
     * @param deploy     the repository's deploy folder, usually {@link #DEPLOY}
     * @param dashboard  the dashboard's file under {@code grafana/dashboards}
     * @param alertRules the alert rules' file under {@code prometheus/rules}
     */
    public DashboardCheck(Path deploy, String dashboard, String alertRules) {
        this.deploy = deploy;
        this.dashboard = deploy.resolve("grafana/dashboards").resolve(dashboard);
        this.alertRules = deploy.resolve("prometheus/rules").resolve(alertRules);
    }

    /** The service's {@code /actuator/prometheus} on {@code localhost:port}, by metric name as Prometheus stores it. */
    public static Map<String, List<Series>> scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("/actuator/prometheus answered " + response.statusCode());
        }
        return parseScrape(response.body());
    }

    /** The series of a scrape in Prometheus's text format, by metric name. */
    static Map<String, List<Series>> parseScrape(String exposition) {
        Map<String, List<Series>> series = new HashMap<>();
        for (String line : exposition.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            // Label values may hold braces (uri="/users/{userId}"), the name never does.
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
            // The format writes infinities as +Inf and -Inf.
            series.computeIfAbsent(name, n -> new ArrayList<>())
                    .add(new Series(labels, Double.parseDouble(value.replace("Inf", "Infinity"))));
        }
        return series;
    }

    /** Every alert of the rules file, across its groups. */
    public List<Map<String, Object>> alertRules() throws IOException {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : ruleGroups()) {
            for (Object rule : list(group.get("rules"))) {
                rules.add(map(rule));
            }
        }
        return rules;
    }

    /** The dashboard's panels that query: every panel but the rows, those inside collapsed rows included. */
    public List<JsonNode> dashboardPanels() throws IOException {
        return allPanels().stream().filter(panel -> !panel.path("type").asString().equals("row")).toList();
    }

    /**
     * What Prometheus would refuse or what would alert no one: a group without a name or rules, an alert defined
     * twice, unknown keys, a name that is not CamelCase, an expression with unbalanced brackets, no {@code for}
     * duration, no known severity, no summary or description.
     */
    public List<String> alertRuleProblems() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> group : ruleGroups()) {
            if (!group.containsKey("name") || !group.containsKey("rules")) {
                problems.add("rule group " + group.get("name") + " needs a name and rules");
            }
        }
        Set<String> names = new HashSet<>();
        for (Map<String, Object> rule : alertRules()) {
            String name = String.valueOf(rule.get("alert"));
            String alert = "alert " + name + ": ";
            if (!names.add(name)) {
                problems.add(alert + "defined twice");
            }
            Set<String> unknownKeys = new LinkedHashSet<>(rule.keySet());
            unknownKeys.removeAll(ALERT_KEYS);
            if (!unknownKeys.isEmpty()) {
                problems.add(alert + "unknown keys " + unknownKeys);
            }
            if (!name.matches("[A-Z][A-Za-z0-9]+")) {
                problems.add(alert + "the name is not CamelCase");
            }
            if (!(rule.get("expr") instanceof String expr) || !balanced(expr)) {
                problems.add(alert + "no expr, or its brackets do not close in order");
            }
            if (!String.valueOf(rule.get("for")).matches("\\d+[smh]")) {
                problems.add(alert + "for is not a duration such as 5m: " + rule.get("for"));
            }
            if (!SEVERITIES.contains(mapOrEmpty(rule.get("labels")).get("severity"))) {
                problems.add(alert + "severity is not critical, warning or info");
            }
            if (!mapOrEmpty(rule.get("annotations")).keySet().containsAll(Set.of("summary", "description"))) {
                problems.add(alert + "needs a summary and a description annotation");
            }
        }
        return problems;
    }

    /**
     * What Grafana would show empty or broken: no panels, panel ids used twice, a panel or target on another data
     * source than the provisioned Prometheus, a panel without targets, target refIds used twice in a panel, an
     * expression with unbalanced brackets.
     */
    public List<String> dashboardProblems() throws IOException {
        String datasource = provisionedDatasourceUid();
        List<String> problems = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : allPanels()) {
            if (!ids.add(panel.path("id").asInt())) {
                problems.add("panel id " + panel.path("id") + " used twice");
            }
        }
        List<JsonNode> panels = dashboardPanels();
        if (panels.isEmpty()) {
            problems.add("the dashboard has no panels");
        }
        for (JsonNode panel : panels) {
            String where = "panel '" + panel.path("title").asString() + "': ";
            if (!panel.path("datasource").path("uid").asString().equals(datasource)) {
                problems.add(where + "data source is not the provisioned " + datasource);
            }
            if (panel.path("targets").isEmpty()) {
                problems.add(where + "no targets");
            }
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.path("targets")) {
                String refId = target.path("refId").asString();
                if (!refIds.add(refId)) {
                    problems.add(where + "refId '" + refId + "' used twice");
                }
                JsonNode targetDatasource = target.path("datasource").path("uid");
                if (!targetDatasource.isMissingNode() && !targetDatasource.asString().equals(datasource)) {
                    problems.add(where + refId + " data source is not the provisioned " + datasource);
                }
                if (!balanced(target.path("expr").asString())) {
                    problems.add(where + refId + " brackets do not close in order: " + target.path("expr").asString());
                }
            }
        }
        return problems;
    }

    /**
     * What the dashboard and the alerts query that the service does not export, or that Prometheus does not
     * scrape: every metric, every label that a selector names, every value an {@code =} matcher wants, the job of
     * every selector (services share metric names such as {@code http_server_requests_seconds_count}, so each
     * selector must name its job) among the scrape jobs of {@code prometheus.yml}.
     *
     * @param scraped  the service's scrape, from {@link #scrape(int)}
     * @param standIns label values the tested service uses instead of those queried (its own topic, say)
     */
    public List<String> exportProblems(Map<String, List<Series>> scraped, Map<String, String> standIns)
            throws IOException {
        Set<String> jobs = scrapeJobs();
        Set<String> problems = new LinkedHashSet<>();
        for (Query query : queries()) {
            String where = query.where() + ": ";
            for (Selector selector : selectors(query.expr())) {
                String metric = selector.metric();
                List<Series> series = scraped.get(metric);
                if (series == null && !PROMETHEUS_SERIES.contains(metric)) {
                    problems.add(where + "metric " + metric + " is not exported");
                }
                if (selector.matchers().stream().noneMatch(matcher -> matcher.label().equals("job"))) {
                    problems.add(where + metric + " names no job");
                }
                for (LabelMatcher matcher : selector.matchers()) {
                    String label = matcher.label();
                    String value = standIns.getOrDefault(matcher.value(), matcher.value());
                    boolean equals = matcher.operator().equals("=");
                    if (label.equals("job")) {
                        if (equals && !jobs.contains(value)) {
                            problems.add(where + "job " + value + " is not scraped by prometheus.yml " + jobs);
                        }
                    } else if (!TARGET_LABELS.contains(label) && series != null) {
                        if (series.stream().noneMatch(s -> s.labels().containsKey(label))) {
                            problems.add(where + metric + " has no label " + label);
                        } else if (equals && series.stream().noneMatch(s -> value.equals(s.labels().get(label)))) {
                            problems.add(where + metric + " has no series with " + label + "=\"" + value + "\"");
                        }
                    }
                }
            }
        }
        return List.copyOf(problems);
    }

    /** Every metric name that the alerts and the dashboard query. */
    public Set<String> queriedMetrics() throws IOException {
        Set<String> metrics = new HashSet<>();
        for (Query query : queries()) {
            selectors(query.expr()).forEach(selector -> metrics.add(selector.metric()));
        }
        return metrics;
    }

    /**
     * The metrics an expression reads, with their label matchers: names that are not functions, keywords or
     * label names, once string literals, ranges and grouping clauses are blanked out.
     */
    static List<Selector> selectors(String expr) {
        String bare = blank(NO_METRIC_INSIDE, blankStrings(expr));
        List<Selector> selectors = new ArrayList<>();
        Matcher selector = SELECTOR.matcher(bare);
        while (selector.find()) {
            String metric = selector.group(1);
            if (metric == null || PROMQL_KEYWORDS.contains(metric.toLowerCase())) {
                continue;
            }
            List<LabelMatcher> matchers = new ArrayList<>();
            if (selector.group(2) != null) {
                // The blanked text has the same positions as the expression: read the matchers' values there.
                Matcher matcher = LABEL_MATCHER.matcher(expr.substring(selector.start(2), selector.end(2)));
                while (matcher.find()) {
                    matchers.add(new LabelMatcher(matcher.group(1), matcher.group(2), matcher.group(3)));
                }
            }
            selectors.add(new Selector(metric, matchers));
        }
        return selectors;
    }

    /** Whether every bracket outside string literals closes in order. */
    static boolean balanced(String expr) {
        Map<Character, Character> opening = Map.of(')', '(', '}', '{', ']', '[');
        Deque<Character> open = new ArrayDeque<>();
        for (char c : blankStrings(expr).toCharArray()) {
            if (opening.containsValue(c)) {
                open.push(c);
            } else if (opening.containsKey(c) && (open.isEmpty() || !open.pop().equals(opening.get(c)))) {
                return false;
            }
        }
        return open.isEmpty();
    }

    /** The expression with the text inside its string literals replaced by spaces, keeping every position. */
    private static String blankStrings(String expr) {
        StringBuilder blanked = new StringBuilder(expr);
        Matcher literal = STRING_LITERAL.matcher(expr);
        while (literal.find()) {
            for (int i = literal.start() + 1; i < literal.end() - 1; i++) {
                blanked.setCharAt(i, ' ');
            }
        }
        return blanked.toString();
    }

    private static String blank(Pattern pattern, String text) {
        StringBuilder blanked = new StringBuilder(text);
        Matcher match = pattern.matcher(text);
        while (match.find()) {
            for (int i = match.start(); i < match.end(); i++) {
                blanked.setCharAt(i, ' ');
            }
        }
        return blanked.toString();
    }

    private List<Query> queries() throws IOException {
        List<Query> queries = new ArrayList<>();
        for (Map<String, Object> rule : alertRules()) {
            queries.add(new Query("alert " + rule.get("alert"), String.valueOf(rule.get("expr"))));
        }
        for (JsonNode panel : dashboardPanels()) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query("panel '" + panel.path("title").asString() + "' "
                        + target.path("refId").asString(), target.path("expr").asString()));
            }
        }
        return queries;
    }

    private List<Map<String, Object>> ruleGroups() throws IOException {
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Object group : list(yaml(alertRules).get("groups"))) {
            groups.add(map(group));
        }
        return groups;
    }

    private Set<String> scrapeJobs() throws IOException {
        Set<String> jobs = new HashSet<>();
        for (Object config : list(yaml(deploy.resolve("prometheus/prometheus.yml")).get("scrape_configs"))) {
            jobs.add(String.valueOf(map(config).get("job_name")));
        }
        return jobs;
    }

    private String provisionedDatasourceUid() throws IOException {
        Object datasources = yaml(deploy.resolve("grafana/provisioning/datasources/prometheus.yml")).get("datasources");
        return String.valueOf(map(list(datasources).get(0)).get("uid"));
    }

    /** Every panel, rows included; a collapsed row holds its panels. */
    private List<JsonNode> allPanels() throws IOException {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : JSON.readTree(Files.readString(dashboard)).path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return map(new Yaml().load(reader));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        if (!(yaml instanceof Map)) {
            throw new IllegalArgumentException("expected a mapping, got " + yaml);
        }
        return (Map<String, Object>) yaml;
    }

    private static Map<String, Object> mapOrEmpty(Object yaml) {
        return yaml == null ? Map.of() : map(yaml);
    }

    private static List<?> list(Object yaml) {
        if (yaml == null) {
            return List.of();
        }
        if (!(yaml instanceof List<?> list)) {
            throw new IllegalArgumentException("expected a list, got " + yaml);
        }
        return list;
    }
}
