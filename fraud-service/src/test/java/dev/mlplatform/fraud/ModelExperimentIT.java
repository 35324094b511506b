package dev.mlplatform.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlplatform.core.events.CardTokenizer;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.core.experiment.Experiment;
import dev.mlplatform.core.registry.ModelFormat;
import dev.mlplatform.core.registry.ModelRegistration;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.fraud.model.TestModels;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * An A/B experiment between the champion (production) and a challenger (canary), configured under
 * {@code fraud.experiments}: every card is assigned to an arm by its token's stable hash, the arm's
 * model decides, the decision names the arm, and the experiment's endpoint reports per-arm counts and
 * the significance tests. A model of its own for this run, as in {@link ModelRolloutIT}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ModelExperimentIT {

    private static final String RUN = "experiment-it-" + Long.toHexString(System.nanoTime());
    private static final String MODEL = "fraud-gbdt-" + RUN;
    private static final String EXPERIMENT = "champion-vs-challenger";
    private static final String PREFIX = "fraud.experiments." + EXPERIMENT;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        FraudServiceEnvironment.register(registry);
        registry.add("fraud.model.name", () -> MODEL);
        registry.add("fraud.topics.consume", () -> "false");
        registry.add(PREFIX + ".start", () -> "2026-01-01T00:00:00Z");
        registry.add(PREFIX + ".arms[0].name", () -> "champion");
        registry.add(PREFIX + ".arms[0].weight", () -> "50");
        registry.add(PREFIX + ".arms[0].stage", () -> "production");
        registry.add(PREFIX + ".arms[1].name", () -> "challenger");
        registry.add(PREFIX + ".arms[1].weight", () -> "50");
        registry.add(PREFIX + ".arms[1].stage", () -> "canary");
    }

    @LocalServerPort
    int port;

    @Autowired
    ModelRegistry registry;

    private final CardTokenizer tokenizer = CardTokenizer.fromEnvironment();

    @AfterAll
    static void removeRowsAndModel() throws SQLException {
        new ServiceClient(0, RUN).removeRowsAndModel(MODEL);
    }

    @Test
    void cardsAreAssignedToArmsWhoseModelsDecideAndTheArmsAreCompared() throws Exception {
        FraudServiceEnvironment.awaitReady(port);
        ServiceClient service = new ServiceClient(port, RUN);
        ModelVersion champion = registry.production(MODEL).orElseThrow();
        ModelVersion challenger = registry.register(new ModelRegistration(MODEL, ModelFormat.ONNX, champion.metrics(),
                champion.lineage()), TestModels.amountModelOnnx());
        JsonNode before = ServiceClient.json(service.get("/api/fraud/v1/experiments/" + EXPERIMENT).body());
        assertThat(before.get("active").booleanValue()).as("no canary yet: the experiment waits").isFalse();

        HttpResponse<String> canary = service.post("/api/fraud/v1/models/" + challenger.version() + "/stage",
                "{\"stage\": \"CANARY\", \"reason\": \"test: challenger for the experiment\"}");
        assertThat(canary.statusCode()).as(canary.body()).isEqualTo(200);

        Experiment assignment = new Experiment(EXPERIMENT, List.of(new Experiment.Arm("champion", 50),
                new Experiment.Arm("challenger", 50)), null, null, null);
        Map<String, Integer> perArm = new HashMap<>();
        int transactions = 60;
        for (int i = 0; i < transactions; i++) {
            TransactionEvent tx = service.transaction(i % 3 == 0 ? "950.00" : "20.00");
            String arm = assignment.assign(tokenizer.tokenize(tx.cardNumber())).name();
            String model = arm.equals("challenger") ? challenger.reference() : champion.reference();

            JsonNode decided = service.decide(tx);

            assertThat(decided.get("modelVersion").stringValue()).isEqualTo(model);
            assertThat(decided.get("reasons")).extracting(JsonNode::stringValue)
                    .contains("experiment:" + EXPERIMENT + ":" + arm);
            assertThat(service.storedRollout(tx.transactionId()).get("experiment").get("arm").stringValue())
                    .isEqualTo(arm);
            perArm.merge(arm, 1, Integer::sum);
        }
        assertThat(perArm).containsOnlyKeys("champion", "challenger");

        JsonNode report = ServiceClient.json(service.get("/api/fraud/v1/experiments/" + EXPERIMENT).body());
        assertThat(report.get("active").booleanValue()).isTrue();
        assertThat(report.get("alpha").doubleValue()).isEqualTo(0.05);
        JsonNode champions = report.get("arms").get(0);
        JsonNode challengers = report.get("arms").get(1);
        assertThat(champions.get("name").stringValue()).isEqualTo("champion");
        assertThat(champions.get("modelVersion").stringValue()).isEqualTo(champion.reference());
        assertThat(challengers.get("modelVersion").stringValue()).isEqualTo(challenger.reference());
        assertThat(champions.get("transactions").longValue()).isEqualTo(perArm.get("champion").longValue());
        assertThat(challengers.get("transactions").longValue()).isEqualTo(perArm.get("challenger").longValue());
        for (JsonNode arm : report.get("arms")) {
            assertThat(arm.get("declines").longValue() + arm.get("reviews").longValue())
                    .isLessThanOrEqualTo(arm.get("transactions").longValue());
            assertThat(arm.get("meanRiskScore").doubleValue()).isBetween(0.0, 1.0);
        }
        JsonNode comparison = report.get("comparisons").get(0);
        assertThat(comparison.get("arm").stringValue()).isEqualTo("challenger");
        assertThat(comparison.get("control").stringValue()).isEqualTo("champion");
        JsonNode meanTest = comparison.get("meanRiskScore");
        assertThat(meanTest.get("difference").doubleValue()).isCloseTo(
                challengers.get("meanRiskScore").doubleValue() - champions.get("meanRiskScore").doubleValue(),
                within(1e-9));
        assertThat(meanTest.get("pValue").doubleValue()).isBetween(0.0, 1.0);
        assertThat(comparison.get("declineRate").has("pValue")).isTrue();

        JsonNode models = ServiceClient.json(service.get("/api/fraud/v1/models").body());
        assertThat(models.get("experiment").stringValue()).isEqualTo(EXPERIMENT);
        assertThat(service.get("/actuator/prometheus").body())
                .contains("fraud_experiment_units_total{arm=\"challenger\",experiment=\"" + EXPERIMENT + "\"}")
                .contains("fraud_experiment_hits_total{arm=\"champion\",experiment=\"" + EXPERIMENT + "\",metric=\"decline\"}");
    }
}
