package dev.mlplatform.fraud.config;

import dev.mlplatform.fraud.model.ServingDrift;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Drift monitoring: the serving model's score and main inputs against their training reference. */
@Configuration(proxyBeanMethods = false)
class DriftConfiguration {

    @Bean(destroyMethod = "close")
    ServingDrift servingDrift(MeterRegistry meters, DriftProperties properties) {
        return new ServingDrift(meters, properties.window());
    }
}
