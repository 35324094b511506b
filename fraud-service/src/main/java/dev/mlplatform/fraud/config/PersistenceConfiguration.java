package dev.mlplatform.fraud.config;

import com.zaxxer.hikari.HikariDataSource;
import dev.mlplatform.core.db.Databases;
import dev.mlplatform.core.registry.ArtifactStore;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.featurestore.FeatureStore;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.online.RedisOnlineStore;
import dev.mlplatform.featurestore.registry.FeatureRegistry;
import dev.mlplatform.fraud.decision.CustomerErasure;
import dev.mlplatform.fraud.decision.DecisionStore;
import dev.mlplatform.fraud.decision.JdbcDecisionStore;
import dev.mlplatform.fraud.rules.JdbcRuleRepository;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Postgres: the service creates its database when missing, migrates its schema {@code fraud} (and
 * the model registry's) with Flyway, and talks to it through one Hikari pool.
 */
@Configuration(proxyBeanMethods = false)
class PersistenceConfiguration {

    private static final Duration ERASURE_REDIS_TIMEOUT = Duration.ofSeconds(2);

    /** Migrated schemas: a bean that the stores depend on, so nothing queries before the tables exist. */
    record MigratedSchemas(DataSource dataSource) {
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(DataSourceProperties properties) {
        Databases.createIfMissing(properties.determineUrl(), properties.determineUsername(),
                properties.determinePassword());
        return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    }

    @Bean
    MigratedSchemas migratedSchemas(DataSource dataSource) {
        Databases.migrate(dataSource, "fraud");
        ModelRegistry.migrate(dataSource);
        FeatureStore.migrate(dataSource);
        return new MigratedSchemas(dataSource);
    }

    @Bean
    DecisionStore decisionStore(MigratedSchemas schemas, FraudProperties properties) {
        return new JdbcDecisionStore(schemas.dataSource(), properties.topics().decisions());
    }

    /**
     * Erasure opens its own short-lived Redis connection: it is rare, and must not share the scoring path's time
     * limit. The view this service reads is registered here too, because erasure visits the registered views.
     */
    @Bean
    CustomerErasure customerErasure(MigratedSchemas schemas, DecisionStore decisions, FraudProperties properties) {
        new FeatureRegistry(schemas.dataSource()).register(FraudFeatures.CARD_VELOCITY);
        String redisUrl = properties.features().redisUrl();
        return new CustomerErasure(decisions, () -> FeatureStore.using(schemas.dataSource(),
                RedisOnlineStore.connect(redisUrl, ERASURE_REDIS_TIMEOUT)));
    }

    @Bean
    JdbcRuleRepository ruleRepository(MigratedSchemas schemas) {
        return new JdbcRuleRepository(schemas.dataSource());
    }

    @Bean
    ModelRegistry modelRegistry(MigratedSchemas schemas, FraudProperties properties) {
        return new ModelRegistry(schemas.dataSource(), new ArtifactStore(properties.artifactDirectory()));
    }
}
