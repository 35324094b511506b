package dev.mlplatform.bench;

import dev.mlplatform.core.cli.CommandOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The entry point of {@code ./platform fraud models|promote|rollback}: the fraud model's versions
 * and stages, stage changes and rollback, through the gateway's model API
 * ({@code /api/fraud/v1/models…}) with the development API key. Human output; with {@code --json},
 * the API's answer as one JSON object on stdout. A refused request ends with the problem's detail
 * and the field at fault.
 */
public final class FraudModelsCli {

    static final String USAGE = """
            usage: ./platform fraud models [--json]
                   ./platform fraud promote VERSION --reason TEXT [--stage STAGE] [--json]
                   ./platform fraud rollback --reason TEXT [--json]
              models    every version of the fraud model, its stage, and which serve as production, canary, shadow
              promote   put VERSION (7 or fraud-gbdt:7) into production, or with --stage into shadow, canary or
                        the archive; the service swaps at once, without failing a request
              rollback  put back the production version the current one replaced
              --reason  why: kept in the registry's history (required)""";

    static final String MODELS_PATH = "/api/fraud/v1/models";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Platform platform;
    private final HttpClient http;
    private final PrintStream out;
    private final PrintStream err;

    FraudModelsCli(Platform platform, HttpClient http, PrintStream out, PrintStream err) {
        this.platform = platform;
        this.http = http;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("platform.home", ".")).toAbsolutePath();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        System.exit(new FraudModelsCli(Platform.fromEnvironment(home, System.getenv()), http, System.out, System.err)
                .run(Arrays.asList(args)));
    }

    /** Runs one command; the exit status: 0 done, 1 refused or failed, 2 a usage mistake, 3 platform not up. */
    int run(List<String> args) {
        boolean json = args.contains("--json");
        try {
            if (args.isEmpty() || Set.of("help", "--help", "-h").contains(args.get(0))) {
                out.println(USAGE);
                return 0;
            }
            List<String> rest = args.subList(1, args.size());
            return switch (args.get(0)) {
                case "models" -> models(rest);
                case "promote" -> promote(rest);
                case "rollback" -> rollback(rest);
                default -> throw new CommandOptions.UsageException("unknown command 'fraud " + args.get(0) + "'");
            };
        } catch (CommandOptions.UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return failed(json, e.getMessage(), null, 2);
        } catch (Platform.NotRunningException e) {
            err.println("error: " + e.getMessage());
            return failed(json, e.getMessage(), null, 3);
        } catch (Refused e) {
            err.println("error: " + e.getMessage());
            for (JsonNode error : e.problem.path("errors")) {
                err.println("  " + error.path("field").asString() + ": " + error.path("message").asString());
            }
            return failed(json, e.getMessage(), e.problem, 1);
        } catch (IOException e) {
            err.println("error: the gateway at " + platform.gateway() + " did not answer: " + e.getMessage());
            return failed(json, e.getMessage(), null, 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    private int models(List<String> args) throws IOException, InterruptedException {
        CommandOptions o = CommandOptions.parse(args, Set.of(), Set.of("json"));
        JsonNode models = call(HttpRequest.newBuilder(uri(MODELS_PATH)).GET());
        if (o.flag("json")) {
            out.println(models);
            return 0;
        }
        JsonNode serving = models.path("serving");
        out.printf("%s: production %s, canary %s (%s of cards), shadow %s; experiment %s%n",
                models.path("model").asString(), orNone(serving.path("production")), orNone(serving.path("canary")),
                percent(models.path("canaryShare").asDouble()), orNone(serving.path("shadow")),
                orNone(models.path("experiment")));
        out.printf("  %-34s %-11s %-11s %-20s %8s %8s%n", "version", "stage", "serving", "registered", "auc_roc",
                "avg_prec");
        for (JsonNode version : models.path("versions")) {
            JsonNode metrics = version.path("metrics");
            out.printf("  %-34s %-11s %-11s %-20s %8s %8s%n", version.path("version").asString(),
                    version.path("stage").asString(), version.path("serving").isNull() ? "-"
                            : version.path("serving").asString().toLowerCase(Locale.ROOT),
                    version.path("registeredAt").asString().replace('T', ' ').replaceAll("\\..*|Z$", ""),
                    metric(metrics.path("auc_roc")), metric(metrics.path("average_precision")));
        }
        return 0;
    }

    private int promote(List<String> args) throws IOException, InterruptedException {
        if (args.isEmpty() || args.get(0).startsWith("--")) {
            throw new CommandOptions.UsageException("promote needs the VERSION to promote, e.g. 7 or fraud-gbdt:7");
        }
        String version = args.get(0);
        CommandOptions o = CommandOptions.parse(args.subList(1, args.size()), Set.of("reason", "stage"), Set.of("json"));
        String stage = o.string("stage", "PRODUCTION").toUpperCase(Locale.ROOT);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("stage", stage);
        body.put("reason", requireReason(o));
        JsonNode changed = call(HttpRequest.newBuilder(uri(MODELS_PATH + "/"
                        + URLEncoder.encode(version, StandardCharsets.UTF_8) + "/stage"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ResultFiles.JSON_LINE.writeValueAsString(body))));
        if (o.flag("json")) {
            out.println(changed);
            return 0;
        }
        out.printf("%s: %s -> %s%n", changed.path("version").asString(), changed.path("previousStage").asString(),
                changed.path("stage").asString());
        out.println(describeServing(changed.path("serving")));
        return 0;
    }

    private int rollback(List<String> args) throws IOException, InterruptedException {
        CommandOptions o = CommandOptions.parse(args, Set.of("reason"), Set.of("json"));
        JsonNode rolledBack = call(HttpRequest.newBuilder(uri(MODELS_PATH + "/rollback"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        ResultFiles.JSON_LINE.writeValueAsString(Map.of("reason", requireReason(o))))));
        if (o.flag("json")) {
            out.println(rolledBack);
            return 0;
        }
        out.printf("rolled back: %s -> %s%n", rolledBack.path("from").asString(), rolledBack.path("to").asString());
        out.println(describeServing(rolledBack.path("serving")));
        return 0;
    }

    private static String requireReason(CommandOptions o) {
        String reason = o.string("reason", null);
        if (reason == null || reason.isBlank()) {
            throw new CommandOptions.UsageException("--reason TEXT is required: the registry's history keeps why");
        }
        return reason;
    }

    /** Sends the request with the API key; the answer's JSON, or {@link Refused} with the problem. */
    private JsonNode call(HttpRequest.Builder request) throws IOException, InterruptedException {
        platform.requireRunning(true, false);
        HttpResponse<String> response = http.send(request.header("X-API-Key", platform.apiKey())
                .header("Accept", "application/json").timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = ResultFiles.JSON_LINE.readTree(response.body());
        } catch (JacksonException e) {
            throw new IOException("answer " + response.statusCode() + " is not JSON: " + abbreviate(response.body()));
        }
        if (response.statusCode() != 200) {
            String detail = body.path("detail").asString("");
            String title = body.path("title").asString("HTTP " + response.statusCode());
            throw new Refused(title + (detail.isEmpty() ? "" : ": " + detail), body);
        }
        return body;
    }

    private int failed(boolean json, String error, JsonNode problem, int status) {
        if (json) {
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("status", "failed");
            failed.put("error", error);
            if (problem != null) {
                failed.put("problem", problem);
            }
            out.println(ResultFiles.JSON_LINE.writeValueAsString(failed));
        }
        return status;
    }

    private static String describeServing(JsonNode serving) {
        List<String> parts = new ArrayList<>();
        for (String role : List.of("production", "canary", "shadow")) {
            parts.add(role + " " + orNone(serving.path(role)));
        }
        return "serving now: " + String.join(", ", parts);
    }

    private static String orNone(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? "none" : value.asString();
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.4g %%", share * 100).replaceAll("\\.?0+ %", " %");
    }

    private static String metric(JsonNode value) {
        return value.isNumber() ? String.format(Locale.ROOT, "%.3f", value.asDouble()) : "-";
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    private URI uri(String path) {
        return platform.gateway().resolve(path);
    }

    /** The API refused the request: the message is the problem's title and detail. */
    private static final class Refused extends RuntimeException {

        private final JsonNode problem;

        Refused(String message, JsonNode problem) {
            super(message);
            this.problem = problem;
        }
    }
}
