package dev.mlplatform.fraud;

import dev.mlplatform.core.web.ServiceWebConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Real-time fraud scoring: transactions arrive over REST ({@code POST /api/fraud/v1/score}) and on
 * Kafka ({@code fraud.transactions.v1}); each is validated, enriched with the online features of its card,
 * customer, device and merchant, checked against the rules, scored by the GBDT model (ONNX), decided, stored once in
 * Postgres and announced on {@code fraud.decisions.v1}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Import(ServiceWebConfiguration.class)
public class FraudServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(FraudServiceApplication.class, args);
    }
}
