package dev.mlplatform.fraud.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.fraud.scoring.ModelScores;
import dev.mlplatform.fraud.scoring.ModelUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ServingModelTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private static float[] row(float amount) {
        float[] row = new float[FraudFeatureVector.SIZE];
        row[0] = amount;
        return row;
    }

    @Test
    void refusesToScoreBeforeAModelIsLoaded() {
        try (ServingModel serving = new ServingModel(meters)) {
            assertThat(serving.version()).isNull();
            assertThatThrownBy(() -> serving.score(new float[][] {row(10)})).isInstanceOf(ModelUnavailableException.class);
        }
    }

    @Test
    void scoresWithTheModelInServiceAndNamesItsVersion() {
        try (ServingModel serving = new ServingModel(meters)) {
            TestModels.serve(serving, "fraud-gbdt:7");

            ModelScores scores = serving.score(new float[][] {row(50), row(950)});

            assertThat(scores.modelVersion()).isEqualTo("fraud-gbdt:7");
            assertThat(scores.scores()[1]).isGreaterThan(scores.scores()[0]);
            assertThat(scores.signals().signals(row(950), 3)).containsExactly("high_amount");
            assertThat(meters.get("fraud.model.serving").tag("version", "fraud-gbdt:7").gauge().value()).isEqualTo(1.0);
        }
    }

    @Test
    void aSwapReplacesTheVersionInServiceAndItsGauge() {
        try (ServingModel serving = new ServingModel(meters)) {
            TestModels.serve(serving, "fraud-gbdt:1");
            TestModels.serve(serving, "fraud-gbdt:2");

            assertThat(serving.score(new float[][] {row(1)}).modelVersion()).isEqualTo("fraud-gbdt:2");
            assertThat(meters.find("fraud.model.serving").tag("version", "fraud-gbdt:1").gauge()).isNull();
            assertThat(meters.get("fraud.model.serving").tag("version", "fraud-gbdt:2").gauge().value()).isEqualTo(1.0);
        }
    }

    @Test
    void aChallengerSlotPublishesItsOwnGaugeAndCanBeRetired() {
        try (ServingModel canary = new ServingModel(meters, "fraud.model.canary", "the canary")) {
            TestModels.serve(canary, "fraud-gbdt:4");
            assertThat(meters.get("fraud.model.canary").tag("version", "fraud-gbdt:4").gauge().value()).isEqualTo(1.0);

            canary.retire();

            assertThat(canary.version()).isNull();
            assertThat(meters.find("fraud.model.canary").gauges()).isEmpty();
            assertThatThrownBy(() -> canary.score(new float[][] {row(1)})).isInstanceOf(ModelUnavailableException.class);
            TestModels.serve(canary, "fraud-gbdt:5");
            assertThat(canary.score(new float[][] {row(1)}).modelVersion()).isEqualTo("fraud-gbdt:5");
        }
    }
}
