package dev.mlplatform.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mlplatform.core.events.CardTokenizer;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.core.registry.Lineage;
import dev.mlplatform.core.registry.ModelFormat;
import dev.mlplatform.core.registry.ModelRegistration;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelStage;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.core.rollout.TrafficSplit;
import dev.mlplatform.fraud.model.ModelParams;
import dev.mlplatform.fraud.model.ModelRollout;
import dev.mlplatform.fraud.model.TestModels;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
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
 * Champion and challengers end to end, through the REST API against the real Postgres, Redis and
 * registry: a shadow that is recorded and never decides, a canary deciding its share of cards, promote
 * and rollback taking effect at once, a promotion under concurrent scoring load, and bad requests.
 *
 * <p>The model has a name of its own for this run (trained small on first start, removed afterwards),
 * so that other test classes and other builds using the shared test database are not disturbed; the
 * Kafka consumer is off: this class tests the REST path.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ModelRolloutIT {

    private static final String RUN = "rollout-it-" + Long.toHexString(System.nanoTime());
    private static final String MODEL = "fraud-gbdt-" + RUN;
    private static final double CANARY_SHARE = 0.3;
    private static final String CANARY_SALT = "canary-it";

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        FraudServiceEnvironment.register(registry);
        registry.add("fraud.model.name", () -> MODEL);
        registry.add("fraud.topics.consume", () -> "false");
        registry.add("fraud.rollout.canary-share", () -> Double.toString(CANARY_SHARE));
        registry.add("fraud.rollout.canary-salt", () -> CANARY_SALT);
        // Generous: two cores run the broker, the database clients and the shadow beside the requests.
        registry.add("fraud.rollout.shadow-timeout", () -> "5s");
    }

    @LocalServerPort
    int port;

    @Autowired
    ModelRegistry registry;

    @Autowired
    ModelRollout rollout;

    private ServiceClient service;
    private final CardTokenizer tokenizer = CardTokenizer.fromEnvironment();
    private static ModelVersion champion;

    @BeforeEach
    void championAloneInService() throws Exception {
        FraudServiceEnvironment.awaitReady(port);
        service = new ServiceClient(port, RUN);
        if (champion == null) {
            champion = registry.production(MODEL).orElseThrow();
        }
        for (ModelStage stage : List.of(ModelStage.SHADOW, ModelStage.CANARY)) {
            for (ModelVersion version : registry.inStage(MODEL, stage)) {
                registry.moveToStage(MODEL, version.version(), ModelStage.ARCHIVED, "test: reset");
            }
        }
        if (registry.production(MODEL).orElseThrow().version() != champion.version()) {
            registry.promote(MODEL, champion.version(), "test: reset");
        }
        rollout.refresh();
    }

    @AfterAll
    static void removeRowsAndModel() throws SQLException {
        new ServiceClient(0, RUN).removeRowsAndModel(MODEL);
    }

    /** A new version with the champion's lineage: its artifact or, to score differently, a model of the amount alone. */
    private ModelVersion register(boolean amountModel) {
        byte[] artifact = amountModel ? TestModels.amountModelOnnx() : registry.artifact(champion);
        return registry.register(new ModelRegistration(MODEL, ModelFormat.ONNX, champion.metrics(), champion.lineage()),
                artifact);
    }

    private HttpResponse<String> changeStage(String version, String body) throws Exception {
        return service.post("/api/fraud/v1/models/" + version + "/stage", body);
    }

    private JsonNode moveTo(ModelVersion version, ModelStage stage) throws Exception {
        HttpResponse<String> response = changeStage(Integer.toString(version.version()),
                "{\"stage\": \"" + stage + "\", \"reason\": \"test\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ServiceClient.json(response.body());
    }

    @Test
    void aShadowScoresEveryTransactionIsRecordedAndNeverChangesTheDecision() throws Exception {
        TransactionEvent before = service.transaction("900.00");
        JsonNode alone = service.decide(before);
        ModelVersion shadow = register(true);

        JsonNode moved = moveTo(shadow, ModelStage.SHADOW);
        // The same transaction on another card: the same features (no history), so production's answer must be the same.
        TransactionEvent twin = service.withCard(before, Transactions.cardNumber());
        JsonNode shadowed = service.decide(twin);

        assertThat(moved.get("serving").get("shadow").stringValue()).isEqualTo(shadow.reference());
        assertThat(shadowed.get("modelVersion").stringValue()).isEqualTo(champion.reference());
        assertThat(shadowed.get("decision")).isEqualTo(alone.get("decision"));
        assertThat(shadowed.get("riskScore")).isEqualTo(alone.get("riskScore"));
        assertThat(shadowed.get("reasons")).isEqualTo(alone.get("reasons"));
        assertThat(service.storedRollout(before.transactionId())).isNull();
        JsonNode stored = service.storedRollout(twin.transactionId()).get("shadow");
        assertThat(stored.get("modelVersion").stringValue()).isEqualTo(shadow.reference());
        assertThat(stored.get("riskScore").doubleValue()).isBetween(0.0, 1.0)
                .isNotEqualTo(shadowed.get("riskScore").doubleValue());
        assertThat(stored.get("decision").stringValue()).isIn("APPROVE", "REVIEW", "DECLINE");
        assertThat(service.get("/actuator/prometheus").body())
                .contains("fraud_shadow_score_count{version=\"" + shadow.reference() + "\"}")
                .contains("fraud_model_shadow{version=\"" + shadow.reference() + "\"} 1");

        moveTo(shadow, ModelStage.ARCHIVED);
        TransactionEvent after = service.transaction("12.00");
        service.decide(after);
        assertThat(service.storedRollout(after.transactionId())).as("archived: no more shadow").isNull();
    }

    @Test
    void theCanaryDecidesItsShareOfCardsStablyPerCard() throws Exception {
        ModelVersion canary = register(false);
        moveTo(canary, ModelStage.CANARY);
        TrafficSplit split = new TrafficSplit(CANARY_SALT);

        int byCanary = 0;
        for (int i = 0; i < 40; i++) {
            TransactionEvent tx = service.transaction("25.00");
            boolean inShare = split.inShare(tokenizer.tokenize(tx.cardNumber()), CANARY_SHARE);
            String expected = inShare ? canary.reference() : champion.reference();

            assertThat(service.decide(tx).get("modelVersion").stringValue()).isEqualTo(expected);
            TransactionEvent sameCardAgain = service.withCard(tx, null);
            assertThat(service.decide(sameCardAgain).get("modelVersion").stringValue()).as("same card, same model")
                    .isEqualTo(expected);
            byCanary += inShare ? 1 : 0;
        }
        assertThat(byCanary).as("some cards in each group").isBetween(1, 39);
        JsonNode models = ServiceClient.json(service.get("/api/fraud/v1/models").body());
        assertThat(models.get("serving").get("canary").stringValue()).isEqualTo(canary.reference());
        assertThat(models.get("canaryShare").doubleValue()).isEqualTo(CANARY_SHARE);
    }

    /** A card outside the canary share, so that production decides it. */
    private TransactionEvent productionCard(String amount) {
        TrafficSplit split = new TrafficSplit(CANARY_SALT);
        TransactionEvent tx = service.transaction(amount);
        while (split.inShare(tokenizer.tokenize(tx.cardNumber()), CANARY_SHARE)) {
            tx = service.transaction(amount);
        }
        return tx;
    }

    @Test
    void aPromotionThroughTheApiServesAtOnceAndARollbackReturnsToThePreviousVersion() throws Exception {
        ModelVersion challenger = register(false);

        JsonNode promoted = moveTo(challenger, ModelStage.PRODUCTION);

        assertThat(promoted.get("stage").stringValue()).isEqualTo("PRODUCTION");
        assertThat(promoted.get("previousStage").stringValue()).isEqualTo("REGISTERED");
        assertThat(promoted.get("serving").get("production").stringValue()).isEqualTo(challenger.reference());
        assertThat(service.decide(productionCard("7.00")).get("modelVersion").stringValue())
                .isEqualTo(challenger.reference());
        assertThat(registry.version(MODEL, champion.version()).orElseThrow().stage()).isEqualTo(ModelStage.ARCHIVED);

        HttpResponse<String> rolledBack = service.post("/api/fraud/v1/models/rollback", "{\"reason\": \"test: back\"}");

        assertThat(rolledBack.statusCode()).as(rolledBack.body()).isEqualTo(200);
        JsonNode back = ServiceClient.json(rolledBack.body());
        assertThat(back.get("from").stringValue()).isEqualTo(challenger.reference());
        assertThat(back.get("to").stringValue()).isEqualTo(champion.reference());
        assertThat(service.decide(productionCard("7.00")).get("modelVersion").stringValue())
                .isEqualTo(champion.reference());
        assertThat(registry.history(MODEL)).last().satisfies(change -> assertThat(change.reason()).contains("test: back"));
    }

    @Test
    void listsTheVersionsWithTheirStagesAndWhatServes() throws Exception {
        ModelVersion shadow = register(true);
        moveTo(shadow, ModelStage.SHADOW);

        JsonNode models = ServiceClient.json(service.get("/api/fraud/v1/models").body());

        assertThat(models.get("model").stringValue()).isEqualTo(MODEL);
        assertThat(models.get("serving").get("production").stringValue()).isEqualTo(champion.reference());
        assertThat(models.get("experiment").isNull()).isTrue();
        List<String> described = new ArrayList<>();
        for (JsonNode version : models.get("versions")) {
            described.add(version.get("version").stringValue() + " " + version.get("stage").stringValue() + " "
                    + version.get("serving").asString());
        }
        assertThat(described).contains(champion.reference() + " PRODUCTION PRODUCTION",
                shadow.reference() + " SHADOW SHADOW");
        assertThat(service.get("/v3/api-docs").body()).contains("/api/fraud/v1/models/{version}/stage",
                "/api/fraud/v1/models/rollback", "/api/fraud/v1/experiments/{name}");
    }

    @Test
    void promotingWhileThreadsScoreFailsNoRequest() throws Exception {
        ModelVersion challenger = register(false);
        int threads = 4;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger answered = new AtomicInteger();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        Set<String> versionsSeen = ConcurrentHashMap.newKeySet();
        ExecutorService load = Executors.newFixedThreadPool(threads);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(load.submit(() -> {
                while (!stop.get()) {
                    try {
                        HttpResponse<String> response = service.score(productionCard("30.00"));
                        if (response.statusCode() == 200) {
                            versionsSeen.add(ServiceClient.json(response.body()).get("modelVersion").stringValue());
                        } else {
                            failures.add(response.statusCode() + " " + response.body());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                    answered.incrementAndGet();
                }
            }));
        }
        try {
            awaitAnswers(answered, 20);
            moveTo(challenger, ModelStage.PRODUCTION);
            awaitAnswers(answered, answered.get() + 20);
            assertThat(service.post("/api/fraud/v1/models/rollback", "{\"reason\": \"test: under load\"}").statusCode())
                    .isEqualTo(200);
            awaitAnswers(answered, answered.get() + 20);
        } finally {
            stop.set(true);
            for (Future<?> thread : running) {
                thread.get(1, TimeUnit.MINUTES);
            }
            load.shutdownNow();
        }

        assertThat(failures).as("requests that failed during the swaps").isEmpty();
        assertThat(versionsSeen).containsExactlyInAnyOrder(champion.reference(), challenger.reference());
    }

    /** Waits for the load threads to have had {@code atLeast} answers; the bound only stops a hung service. */
    private static void awaitAnswers(AtomicInteger answered, int atLeast) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(10)).until(() -> answered.get() >= atLeast);
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("unknown version", "999999", "{\"stage\": \"CANARY\", \"reason\": \"x\"}", 404, "version"),
                Arguments.of("malformed version", "latest", "{\"stage\": \"CANARY\", \"reason\": \"x\"}", 400, "version"),
                Arguments.of("unknown stage", "1", "{\"stage\": \"LIVE\", \"reason\": \"x\"}", 400, "stage"),
                Arguments.of("stage that cannot be set", "1", "{\"stage\": \"REGISTERED\", \"reason\": \"x\"}", 400,
                        "stage"),
                Arguments.of("missing stage", "1", "{\"reason\": \"x\"}", 400, "stage"),
                Arguments.of("missing reason", "1", "{\"stage\": \"CANARY\"}", 400, "reason"),
                Arguments.of("blank reason", "1", "{\"stage\": \"CANARY\", \"reason\": \"  \"}", 400, "reason"),
                Arguments.of("unknown field", "1", "{\"stage\": \"CANARY\", \"reason\": \"x\", \"force\": true}", 400,
                        "force"),
                Arguments.of("malformed JSON", "1", "{\"stage\": ", 400, "body"),
                Arguments.of("no body", "1", "", 400, "body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void refusesABadStageChangeWithAProblemNamingTheField(String name, String version, String body, int status,
                                                          String field) throws Exception {
        HttpResponse<String> response = changeStage(version, body);

        assertProblem(response, status, field);
        assertThat(registry.production(MODEL).orElseThrow().version()).isEqualTo(champion.version());
    }

    @Test
    void refusesConflictingChangesAndARollbackWithoutReasonOrTarget() throws Exception {
        assertProblem(changeStage(Integer.toString(champion.version()), "{\"stage\": \"PRODUCTION\", \"reason\": \"x\"}"),
                409, "stage");
        assertProblem(changeStage(Integer.toString(champion.version()), "{\"stage\": \"CANARY\", \"reason\": \"x\"}"),
                409, "stage");
        assertProblem(service.post("/api/fraud/v1/models/rollback", "{}"), 400, "reason");
        assertProblem(service.get("/api/fraud/v1/experiments/none-configured"), 404, "name");
        assertThat(registry.production(MODEL).orElseThrow().version()).isEqualTo(champion.version());
    }

    @Test
    void refusesAVersionThatDoesNotFitThisServicesFeatures() throws Exception {
        Map<String, String> params = new HashMap<>(champion.lineage().params());
        params.put(ModelParams.FEATURE_NAMES, "amount,hour_of_day");
        Lineage lineage = champion.lineage();
        ModelVersion misfit = registry.register(new ModelRegistration(MODEL, ModelFormat.ONNX, champion.metrics(),
                new Lineage(lineage.trainingDataId(), lineage.trainingDataSha256(), lineage.featureViews(),
                        lineage.codeVersion(), params)), registry.artifact(champion));

        assertProblem(toCanary(misfit), 422, "version");
        assertThat(registry.version(MODEL, misfit.version()).orElseThrow().stage()).isEqualTo(ModelStage.REGISTERED);
    }

    private HttpResponse<String> toCanary(ModelVersion version) throws Exception {
        return changeStage(Integer.toString(version.version()), "{\"stage\": \"CANARY\", \"reason\": \"x\"}");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = ServiceClient.json(response.body());
        assertThat(problem.get("status").intValue()).isEqualTo(status);
        assertThat(problem.get("type").stringValue()).startsWith("https://mlplatform.dev/problems/");
        assertThat(problem.get("detail").stringValue()).isNotBlank();
        if (field != null) {
            assertThat(problem.get("errors")).extracting(error -> error.get("field").stringValue()).contains(field);
        }
    }
}
