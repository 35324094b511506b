package dev.mlplatform.recsys.config;

import com.zaxxer.hikari.HikariDataSource;
import dev.mlplatform.core.db.Databases;
import dev.mlplatform.core.registry.ArtifactStore;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.featurestore.FeatureStore;
import dev.mlplatform.featurestore.definitions.RecsysFeatures;
import dev.mlplatform.featurestore.online.RedisOnlineStore;
import dev.mlplatform.featurestore.registry.FeatureRegistry;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.recsys.catalogue.CatalogueStore;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Postgres: the service creates its database when missing, migrates its schema {@code recsys} (and the model
 * registry's and the feature store's), and registers the feature views it reads and writes.
 */
@Configuration(proxyBeanMethods = false)
class PersistenceConfiguration {

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
        Databases.migrate(dataSource, "recsys");
        ModelRegistry.migrate(dataSource);
        FeatureStore.migrate(dataSource);
        FeatureRegistry views = new FeatureRegistry(dataSource);
        for (FeatureView view : new FeatureView[] {RecsysFeatures.USER_RECENT, RecsysFeatures.TRENDING,
                RecsysFeatures.USER_CANDIDATES, RecsysFeatures.USER_PREFERENCES}) {
            views.register(view);
        }
        return new MigratedSchemas(dataSource);
    }

    @Bean
    CatalogueStore catalogueStore(MigratedSchemas schemas) {
        return new CatalogueStore(schemas.dataSource());
    }

    @Bean
    ModelRegistry modelRegistry(MigratedSchemas schemas, RecsysProperties properties) {
        return new ModelRegistry(schemas.dataSource(), new ArtifactStore(properties.artifactDir()));
    }

    /** Reads on the request path wait at most the store timeout; writes (preferences) use the same connection. */
    @Bean(destroyMethod = "close")
    FeatureStore featureStore(MigratedSchemas schemas, RecsysProperties properties) {
        return FeatureStore.using(schemas.dataSource(),
                RedisOnlineStore.connect(properties.redisUrl(), properties.storeTimeout()));
    }
}
