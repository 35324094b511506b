package dev.mlplatform.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.testsupport.DashboardCheck.LabelMatcher;
import dev.mlplatform.testsupport.DashboardCheck.Selector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardCheckTest {

    private static final String SCRAPE = """
            # HELP http_server_requests_seconds
            # TYPE http_server_requests_seconds histogram
            http_server_requests_seconds_bucket{method="GET",status="200",uri="/users/{userId}",le="+Inf"} 3
            http_server_requests_seconds_count{method="GET",status="200",uri="/users/{userId}"} 3
            lists_total{degraded="false"} 2.0
            queue_size +Inf
            """;

    @TempDir
    Path deploy;

    @Test
    void aScrapeIsReadBySeriesWithBracesInLabelValuesAndInfinities() {
        Map<String, List<DashboardCheck.Series>> scraped = DashboardCheck.parseScrape(SCRAPE);

        assertThat(scraped).containsOnlyKeys("http_server_requests_seconds_bucket", "http_server_requests_seconds_count",
                "lists_total", "queue_size");
        assertThat(scraped.get("http_server_requests_seconds_bucket")).singleElement().satisfies(series -> {
            assertThat(series.labels()).containsEntry("uri", "/users/{userId}").containsEntry("le", "+Inf");
            assertThat(series.value()).isEqualTo(3);
        });
        assertThat(scraped.get("queue_size").get(0).value()).isInfinite();
    }

    @Test
    void selectorsAreTheMetricsWithTheirMatchersNotFunctionsKeywordsOrGroupingLabels() {
        List<Selector> selectors = DashboardCheck.selectors("""
                histogram_quantile(0.99, sum by (instance, le) (rate(latency_bucket{job="svc", uri="/u/{id}"}[$__rate_interval])))
                > 0.1 and on (instance) max by (instance) (up{job="svc"} offset 5m) == bool 1 unless lists_total""");

        assertThat(selectors).containsExactly(
                new Selector("latency_bucket", List.of(new LabelMatcher("job", "=", "svc"),
                        new LabelMatcher("uri", "=", "/u/{id}"))),
                new Selector("up", List.of(new LabelMatcher("job", "=", "svc"))),
                new Selector("lists_total", List.of()));
    }

    @Test
    void bracketsInsideStringsDoNotCountAndOthersMustCloseInOrder() {
        assertThat(DashboardCheck.balanced("sum(rate(x{uri=~\"(a|b\"}[5m]))")).isTrue();
        assertThat(DashboardCheck.balanced("sum(rate(x[5m])")).isFalse();
        assertThat(DashboardCheck.balanced("sum(rate(x[5m)])")).isFalse();
    }

    @Test
    void everyQueriedMetricLabelValueAndJobMustBeExportedAndScraped() throws IOException {
        writeDeploy("""
                - alert: ListsDegraded
                  expr: sum(rate(lists_total{job="svc", degraded="true"}[5m])) > 0
                  for: 5m
                  labels: {severity: warning}
                  annotations: {summary: s, description: d}
                """, dashboard("""
                {"refId": "A", "expr": "sum by (uri) (rate(http_server_requests_seconds_count{job=\\"svc\\", uri=\\"/users/{userId}\\"}[$__rate_interval]))"},
                {"refId": "B", "expr": "sum(rate(http_server_requests_seconds_count{job=\\"other\\", region=\\"FR\\"}[5m]))"},
                {"refId": "C", "expr": "sum(rate(missing_total[5m])) + sum(lists_total{job=\\"svc\\", degraded=\\"maybe\\"})"}"""));
        DashboardCheck check = new DashboardCheck(deploy, "svc.json", "svc.yml");
        Map<String, List<DashboardCheck.Series>> scraped = DashboardCheck.parseScrape(SCRAPE);

        assertThat(check.exportProblems(scraped, Map.of())).containsExactly(
                "alert ListsDegraded: lists_total has no series with degraded=\"true\"",
                "panel 'Lists' B: job other is not scraped by prometheus.yml [svc]",
                "panel 'Lists' B: http_server_requests_seconds_count has no label region",
                "panel 'Lists' C: metric missing_total is not exported",
                "panel 'Lists' C: missing_total names no job",
                "panel 'Lists' C: lists_total has no series with degraded=\"maybe\"");
        // A stand-in replaces a queried value with the one the tested service uses.
        assertThat(check.exportProblems(scraped, Map.of("other", "svc", "maybe", "false"))).containsExactly(
                "alert ListsDegraded: lists_total has no series with degraded=\"true\"",
                "panel 'Lists' B: http_server_requests_seconds_count has no label region",
                "panel 'Lists' C: metric missing_total is not exported",
                "panel 'Lists' C: missing_total names no job");
        assertThat(check.queriedMetrics()).containsExactlyInAnyOrder("lists_total", "http_server_requests_seconds_count",
                "missing_total");
    }

    @Test
    void alertsNeedKnownKeysACamelCaseNameBalancedBracketsADurationASeverityAndAnnotations() throws IOException {
        writeDeploy("""
                - alert: ListsDegraded
                  expr: sum(rate(lists_total{job="svc"}[5m]) > 0
                  for: soon
                  labels: {severity: page}
                  annotations: {summary: s}
                  runbook: none
                - alert: ListsDegraded
                  expr: up{job="svc"} == 0
                  for: 2m
                  labels: {severity: critical}
                  annotations: {summary: s, description: d}
                - alert: lists_empty
                  expr: up{job="svc"} == 0
                  for: 2m
                  labels: {severity: info}
                  annotations: {summary: s, description: d}
                """, dashboard("{\"refId\": \"A\", \"expr\": \"up\"}"));

        assertThat(new DashboardCheck(deploy, "svc.json", "svc.yml").alertRuleProblems()).containsExactly(
                "alert ListsDegraded: unknown keys [runbook]",
                "alert ListsDegraded: no expr, or its brackets do not close in order",
                "alert ListsDegraded: for is not a duration such as 5m: soon",
                "alert ListsDegraded: severity is not critical, warning or info",
                "alert ListsDegraded: needs a summary and a description annotation",
                "alert ListsDegraded: defined twice",
                "alert lists_empty: the name is not CamelCase");
    }

    @Test
    void panelsNeedTheProvisionedDataSourceUniqueIdsTargetsAndBalancedBrackets() throws IOException {
        writeDeploy("", """
                {"panels": [
                  {"id": 1, "type": "row", "title": "Row", "collapsed": true, "panels": [
                    {"id": 2, "type": "stat", "title": "Folded", "datasource": {"uid": "prometheus"}, "targets": []}
                  ]},
                  {"id": 2, "type": "timeseries", "title": "Lists", "datasource": {"uid": "loki"}, "targets": [
                    {"refId": "A", "expr": "sum(rate(lists_total[5m])"},
                    {"refId": "A", "expr": "up", "datasource": {"uid": "loki"}}
                  ]}
                ]}""");

        assertThat(new DashboardCheck(deploy, "svc.json", "svc.yml").dashboardProblems()).containsExactly(
                "panel id 2 used twice",
                "panel 'Folded': no targets",
                "panel 'Lists': data source is not the provisioned prometheus",
                "panel 'Lists': A brackets do not close in order: sum(rate(lists_total[5m])",
                "panel 'Lists': refId 'A' used twice",
                "panel 'Lists': A data source is not the provisioned prometheus");
    }

    @Test
    void aWellFormedDashboardAndRulesHaveNoProblems() throws IOException {
        writeDeploy("""
                - alert: ListsDegraded
                  expr: sum(rate(lists_total{job="svc", degraded="false"}[5m])) > 0
                  for: 5m
                  labels: {severity: warning}
                  annotations: {summary: s, description: d}
                """, dashboard("""
                {"refId": "A", "expr": "up{job=\\"svc\\"}", "datasource": {"uid": "prometheus"}}"""));
        DashboardCheck check = new DashboardCheck(deploy, "svc.json", "svc.yml");

        assertThat(check.alertRuleProblems()).isEmpty();
        assertThat(check.dashboardProblems()).isEmpty();
        assertThat(check.exportProblems(DashboardCheck.parseScrape(SCRAPE), Map.of())).isEmpty();
    }

    /** One row and one panel named Lists with these targets. */
    private static String dashboard(String targets) {
        return """
                {"panels": [
                  {"id": 1, "type": "row", "title": "Row", "panels": []},
                  {"id": 2, "type": "timeseries", "title": "Lists", "datasource": {"uid": "prometheus"}, "targets": [
                %s
                  ]}
                ]}""".formatted(targets);
    }

    private void writeDeploy(String rules, String dashboard) throws IOException {
        Files.createDirectories(deploy.resolve("prometheus/rules"));
        Files.createDirectories(deploy.resolve("grafana/dashboards"));
        Files.createDirectories(deploy.resolve("grafana/provisioning/datasources"));
        Files.writeString(deploy.resolve("prometheus/prometheus.yml"), """
                scrape_configs:
                  - job_name: svc
                """);
        Files.writeString(deploy.resolve("grafana/provisioning/datasources/prometheus.yml"), """
                datasources:
                  - name: Prometheus
                    uid: prometheus
                """);
        Files.writeString(deploy.resolve("prometheus/rules/svc.yml"), "groups:\n  - name: svc\n    rules:\n"
                + rules.indent(6));
        Files.writeString(deploy.resolve("grafana/dashboards/svc.json"), dashboard);
    }
}
