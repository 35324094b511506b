package dev.mlplatform.fraud.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.fraud.model.ServingModel;
import dev.mlplatform.fraud.model.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

class ModelReadinessTest {

    @Test
    void isOutOfServiceUntilAModelServesThenUpWithItsVersion() {
        try (ServingModel serving = new ServingModel(new SimpleMeterRegistry())) {
            ModelReadiness readiness = new ModelReadiness(serving);
            assertThat(readiness.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

            TestModels.serve(serving, "fraud-gbdt:4");

            assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
            assertThat(readiness.health().getDetails()).containsEntry("version", "fraud-gbdt:4");
        }
    }
}
