package dev.mlplatform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The model commands against a real HTTP server that answers as the fraud-service's model API does. */
class FraudModelsCliTest {

    private static final String KEY = "test-key";
    private static final String SERVING = "{\"production\":\"fraud-gbdt:3\",\"canary\":\"fraud-gbdt:4\",\"shadow\":null}";
    private static final String MODELS = "{\"model\":\"fraud-gbdt\",\"serving\":" + SERVING + ",\"canaryShare\":0.1,"
            + "\"experiment\":null,\"versions\":["
            + "{\"version\":\"fraud-gbdt:3\",\"number\":3,\"stage\":\"PRODUCTION\",\"serving\":\"PRODUCTION\","
            + "\"metrics\":{\"auc_roc\":0.7512,\"average_precision\":0.47},\"registeredAt\":\"2026-11-27T02:55:10.893317Z\"},"
            + "{\"version\":\"fraud-gbdt:4\",\"number\":4,\"stage\":\"CANARY\",\"serving\":\"CANARY\",\"metrics\":{},"
            + "\"registeredAt\":\"2026-11-28T09:00:00Z\"}]}";
    private static final String NOT_FOUND = "{\"type\":\"https://mlplatform.dev/problems/model-version-not-found\","
            + "\"title\":\"Model version not found\",\"status\":404,\"detail\":\"model fraud-gbdt has no version 99\","
            + "\"errors\":[{\"field\":\"version\",\"message\":\"'99' is not a version of this model\"}]}";

    private HttpServer server;
    private final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/fraud/v1/models", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestMethod() + " " + path + " " + body);
            int status;
            String answer;
            if (!KEY.equals(exchange.getRequestHeaders().getFirst("X-API-Key"))) {
                status = 401;
                answer = "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"missing or unknown API key\"}";
            } else if (path.equals("/api/fraud/v1/models")) {
                status = 200;
                answer = MODELS;
            } else if (path.equals("/api/fraud/v1/models/99/stage")) {
                status = 404;
                answer = NOT_FOUND;
            } else if (path.endsWith("/stage")) {
                status = 200;
                answer = "{\"version\":\"fraud-gbdt:4\",\"stage\":\"PRODUCTION\",\"previousStage\":\"CANARY\","
                        + "\"serving\":{\"production\":\"fraud-gbdt:4\",\"canary\":null,\"shadow\":null}}";
            } else {
                status = 200;
                answer = "{\"from\":\"fraud-gbdt:4\",\"to\":\"fraud-gbdt:3\",\"serving\":" + SERVING + "}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int run(String key, String... args) {
        Platform platform = new Platform(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "localhost:1",
                key, Path.of("."));
        return new FraudModelsCli(platform, HttpClient.newHttpClient(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(List.of(args));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listsTheVersionsWhatServesAndTheirMetrics() {
        assertThat(run(KEY, "models")).isZero();

        assertThat(stdout()).contains("fraud-gbdt: production fraud-gbdt:3, canary fraud-gbdt:4 (10 % of cards), "
                        + "shadow none; experiment none")
                .containsPattern("fraud-gbdt:3 +PRODUCTION +production +2026-11-27 02:55:10 +0\\.751 +0\\.470")
                .containsPattern("fraud-gbdt:4 +CANARY +canary +2026-11-28 09:00:00 +- +-");
    }

    @Test
    void printsTheApisAnswerAsOneJsonObjectWithJson() {
        assertThat(run(KEY, "models", "--json")).isZero();

        assertThat(stdout().strip()).startsWith("{\"model\":\"fraud-gbdt\"").doesNotContain("\n");
    }

    @Test
    void promotesWithTheReasonAndTheKeyAndSaysWhatServesNow() {
        assertThat(run(KEY, "promote", "fraud-gbdt:4", "--reason", "better AUC")).isZero();

        assertThat(requests).containsExactly(
                "POST /api/fraud/v1/models/fraud-gbdt:4/stage {\"stage\":\"PRODUCTION\",\"reason\":\"better AUC\"}");
        assertThat(stdout()).contains("fraud-gbdt:4: CANARY -> PRODUCTION")
                .contains("serving now: production fraud-gbdt:4, canary none, shadow none");
    }

    @Test
    void putsAVersionInAnotherStageWithStage() {
        assertThat(run(KEY, "promote", "5", "--stage", "shadow", "--reason", "watch it")).isZero();

        assertThat(requests).containsExactly("POST /api/fraud/v1/models/5/stage {\"stage\":\"SHADOW\",\"reason\":\"watch it\"}");
    }

    @Test
    void rollsBack() {
        assertThat(run(KEY, "rollback", "--reason", "decline rate doubled", "--json")).isZero();

        assertThat(requests).containsExactly("POST /api/fraud/v1/models/rollback {\"reason\":\"decline rate doubled\"}");
        assertThat(stdout()).contains("\"from\":\"fraud-gbdt:4\"").contains("\"to\":\"fraud-gbdt:3\"");
    }

    @Test
    void aRefusalEndsWithTheProblemAndTheFieldAtFault() {
        assertThat(run(KEY, "promote", "99", "--reason", "x", "--json")).isEqualTo(1);

        assertThat(stderr()).contains("error: Model version not found: model fraud-gbdt has no version 99")
                .contains("  version: '99' is not a version of this model");
        assertThat(stdout()).contains("\"status\":\"failed\"").contains("\"problem\":{");
    }

    @Test
    void aWrongKeyIsReportedAsTheGatewaySaysIt() {
        assertThat(run("wrong", "models")).isEqualTo(1);

        assertThat(stderr()).contains("Unauthorized: missing or unknown API key");
    }

    @Test
    void usageMistakesSendNothing() {
        assertThat(run(KEY, "promote", "--reason", "x")).isEqualTo(2);
        assertThat(run(KEY, "promote", "4")).isEqualTo(2);
        assertThat(run(KEY, "rollback")).isEqualTo(2);
        assertThat(run(KEY, "models", "--verbose")).isEqualTo(2);
        assertThat(run(KEY, "retrain")).isEqualTo(2);

        assertThat(requests).isEmpty();
        assertThat(stderr()).contains("--reason TEXT is required").contains("unknown option --verbose")
                .contains("usage: ./platform fraud models");
    }

    @Test
    void saysHowToStartThePlatformWhenNothingAnswers() {
        server.stop(0);

        assertThat(run(KEY, "models")).isEqualTo(3);
        assertThat(stderr()).contains("./platform up");
    }
}
