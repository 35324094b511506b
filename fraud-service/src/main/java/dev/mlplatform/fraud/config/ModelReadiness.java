package dev.mlplatform.fraud.config;

import dev.mlplatform.fraud.model.ServingModel;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Part of the readiness probe: out of service until a model serves (the first start trains one),
 * then up with the version in service.
 */
class ModelReadiness implements HealthIndicator {

    private final ServingModel serving;

    ModelReadiness(ServingModel serving) {
        this.serving = serving;
    }

    @Override
    public Health health() {
        String version = serving.version();
        return version == null
                ? Health.outOfService().withDetail("model", "loading or training").build()
                : Health.up().withDetail("version", version).build();
    }
}
