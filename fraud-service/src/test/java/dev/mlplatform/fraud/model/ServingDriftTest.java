package dev.mlplatform.fraud.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.core.monitoring.DriftReference;
import dev.mlplatform.core.registry.Lineage;
import dev.mlplatform.core.registry.ModelFormat;
import dev.mlplatform.core.registry.ModelStage;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.fraud.decision.Decision;
import dev.mlplatform.fraud.decision.DecisionRecord;
import dev.mlplatform.fraud.decision.Outcome;
import dev.mlplatform.fraud.decision.Source;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Drift of the serving model, fed with decisions as the pipeline feeds it. */
class ServingDriftTest {

    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    private static final int WINDOW = 2_000;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ServingDrift drift = new ServingDrift(meters, WINDOW);
    private final SplittableRandom random = new SplittableRandom(5);

    @AfterEach
    void close() {
        drift.close();
    }

    /** A transaction's features: small card-present amounts, a card seen a few times this hour. */
    private float[] row(double amountFactor) {
        float[] row = new float[FraudFeatureVector.SIZE];
        double amount = (5 + 120 * Math.pow(random.nextDouble(), 2)) * amountFactor;
        int count1h = 1 + random.nextInt(6);
        row[FraudFeatureVector.indexOf("amount")] = (float) amount;
        row[FraudFeatureVector.indexOf("tx_count_1h")] = count1h;
        row[FraudFeatureVector.indexOf("tx_amount_1h")] = (float) (amount * count1h * 0.9);
        row[FraudFeatureVector.indexOf("tx_count_5m")] = 1 + random.nextInt(2);
        row[FraudFeatureVector.indexOf("amount_to_mean_1h")] = (float) (0.5 + random.nextDouble());
        return row;
    }

    private float score(float[] row) {
        return (float) Math.min(1, row[0] / 400 + random.nextDouble() * 0.05);
    }

    private ModelVersion version(int number, Map<String, String> params) {
        return new ModelVersion("fraud-gbdt", number, ModelFormat.ONNX, "0".repeat(64), 1, Map.of(),
                new Lineage("simulator:test", null, List.of(), "test", params), ModelStage.PRODUCTION, NOW, NOW);
    }

    private ModelVersion versionWithReference(int number) {
        float[][] rows = new float[5_000][];
        float[] scores = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = row(1);
            scores[i] = score(rows[i]);
        }
        return version(number, Map.of(DriftReference.LINEAGE_PARAM, ServingDrift.reference(scores, rows).toJson()));
    }

    private void decide(String version, int count, double amountFactor) {
        for (int i = 0; i < count; i++) {
            float[] row = row(amountFactor);
            TransactionEvent tx = new TransactionEvent("tx-" + i, null, "ct_test", "cust-7", "m-9", "t-3", "5411",
                    BigDecimal.valueOf(row[0]), "EUR", NOW, "pos", "dev-1", "203.0.113.7", null, "FR");
            Decision decision = new Decision(tx.transactionId(), Outcome.APPROVE, score(row), List.of(), version, false,
                    NOW);
            drift.record(new DecisionRecord(decision, tx, FraudFeatureVector.asMap(row), Source.KAFKA, "digest"));
        }
    }

    private double psi(String version, String feature) {
        return meters.get("fraud.drift.psi").tag("version", version).tag("feature", feature).gauge().value();
    }

    @Test
    void trafficLikeTheHeldOutDaysStaysStableAndShiftedTrafficCrossesTheAlertThreshold() {
        drift.watch(versionWithReference(3));

        decide("fraud-gbdt:3", WINDOW, 1);
        assertThat(psi("fraud-gbdt:3", ServingDrift.RISK_SCORE)).isLessThan(0.1);
        assertThat(psi("fraud-gbdt:3", "amount")).isLessThan(0.1);
        assertThat(psi("fraud-gbdt:3", "tx_count_1h")).isLessThan(0.1);

        // Amounts four times as large: the score follows them up.
        decide("fraud-gbdt:3", WINDOW, 4);
        assertThat(psi("fraud-gbdt:3", ServingDrift.RISK_SCORE)).isGreaterThan(0.2);
        assertThat(psi("fraud-gbdt:3", "amount")).isGreaterThan(0.2);
        assertThat(psi("fraud-gbdt:3", "tx_count_1h")).as("untouched feature").isLessThan(0.1);
        assertThat(meters.get("fraud.drift.window.observations").tag("feature", "amount").gauge().value())
                .isEqualTo(WINDOW);
    }

    @Test
    void countsOnlyTheDecisionsOfTheWatchedVersion() {
        drift.watch(versionWithReference(3));

        decide("fraud-gbdt:2", 100, 1);

        assertThat(meters.get("fraud.drift.window.observations").tag("feature", ServingDrift.RISK_SCORE).gauge().value())
                .isZero();
    }

    @Test
    void aNewVersionInServiceReplacesTheGaugesOfTheOldOne() {
        drift.watch(versionWithReference(3));
        drift.watch(versionWithReference(4));

        assertThat(meters.find("fraud.drift.psi").gauges()).extracting(gauge -> gauge.getId().getTag("version"))
                .containsOnly("fraud-gbdt:4").hasSize(1 + ServingDrift.FEATURES.size());
    }

    @Test
    void aVersionRegisteredWithoutAReferenceServesWithoutDriftGauges() {
        drift.watch(versionWithReference(3));
        drift.watch(version(4, Map.of("max_depth", "4")));

        decide("fraud-gbdt:4", 10, 1);

        assertThat(meters.find("fraud.drift.psi").gauges()).isEmpty();
    }

    @Test
    void anUnreadableReferenceIsLoggedAndLeftOut() {
        drift.watch(version(5, Map.of(DriftReference.LINEAGE_PARAM, "{\"features\": 7}")));

        decide("fraud-gbdt:5", 10, 1);

        assertThat(meters.find("fraud.drift.psi").gauges()).isEmpty();
    }
}
