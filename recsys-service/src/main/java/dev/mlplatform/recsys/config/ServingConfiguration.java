package dev.mlplatform.recsys.config;

import dev.mlplatform.core.experiment.Experiment;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.featurestore.FeatureStore;
import dev.mlplatform.featurestore.online.RedisOnlineStore;
import dev.mlplatform.recsys.catalogue.Catalogue;
import dev.mlplatform.recsys.feedback.FeedbackProcessor;
import dev.mlplatform.recsys.feedback.ImpressionLog;
import dev.mlplatform.recsys.feedback.NewItemBandit;
import dev.mlplatform.recsys.intake.InteractionIntake;
import dev.mlplatform.recsys.intake.KafkaEventPublisher;
import dev.mlplatform.recsys.model.ItemNeighbours;
import dev.mlplatform.recsys.model.TwoTowerModel;
import dev.mlplatform.recsys.ranking.BlendWeights;
import dev.mlplatform.recsys.ranking.SourceScoring;
import dev.mlplatform.recsys.retrieval.HnswItemIndex;
import dev.mlplatform.recsys.retrieval.TwoTowerRetrieval;
import dev.mlplatform.recsys.serving.OnlineSignals;
import dev.mlplatform.recsys.serving.RecommendationEngine;
import dev.mlplatform.recsys.serving.RecommendationService;
import dev.mlplatform.recsys.serving.ServingExperiments;
import dev.mlplatform.recsys.serving.ProductionModel;
import dev.mlplatform.recsys.serving.ServingPolicy;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/** The serving path and the feedback loop, wired from {@link RecsysProperties}. */
@Configuration(proxyBeanMethods = false)
class ServingConfiguration {

    /** Bound on the service's own Redis calls (impressions, bandit, event ids): off the feature-read budget. */
    private static final Duration BOOKKEEPING_TIMEOUT = Duration.ofMillis(500);
    /**
     * Lucene's graph defaults, and a search that gathers just the items retrieved: in the ANN benchmark a breadth of
     * 40 kept recall@10 at 0.997 (0.999 at 100) at 1.5 times the speed (docs/recsys.md).
     */
    private static final HnswItemIndex.Settings RETRIEVAL_INDEX = new HnswItemIndex.Settings(
            HnswItemIndex.Settings.defaults().maxConnections(), HnswItemIndex.Settings.defaults().beamWidth(),
            SourceScoring.EMBEDDING_RETRIEVED);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Catalogue catalogue() {
        return new Catalogue();
    }

    @Bean(destroyMethod = "shutdown")
    RedisClient bookkeepingRedisClient(RecsysProperties properties) {
        RedisURI uri = RedisURI.create(properties.redisUrl());
        // Connecting may take longer than a command on a busy machine; commands get BOOKKEEPING_TIMEOUT after.
        uri.setTimeout(RedisOnlineStore.SETUP_TIMEOUT);
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        return client;
    }

    @Bean(destroyMethod = "close")
    StatefulRedisConnection<String, String> bookkeepingRedis(RedisClient client) {
        StatefulRedisConnection<String, String> connection = client.connect();
        connection.setTimeout(BOOKKEEPING_TIMEOUT);
        return connection;
    }

    @Bean
    NewItemBandit newItemBandit(StatefulRedisConnection<String, String> redis) {
        return new NewItemBandit(redis);
    }

    @Bean
    ImpressionLog impressionLog(StatefulRedisConnection<String, String> redis, RecsysProperties properties) {
        return new ImpressionLog(redis, properties.attributionWindow());
    }

    @Bean
    ServingExperiments servingExperiments(RecsysProperties properties, MeterRegistry meters) {
        ServingExperiments experiments = new ServingExperiments(policy(properties.serving(), null, null));
        properties.experiments().forEach((name, definition) -> {
            List<Experiment.Arm> arms = definition.arms().stream()
                    .map(arm -> new Experiment.Arm(arm.name(), arm.weight()))
                    .toList();
            Map<String, ServingPolicy> policies = new LinkedHashMap<>();
            definition.arms().stream().filter(arm -> arm.policy() != null)
                    .forEach(arm -> policies.put(arm.name(), policy(arm.policy(), name, arm.name())));
            experiments.add(new Experiment(name, arms, definition.salt(), definition.start(), definition.stop()),
                    policies, meters);
        });
        return experiments;
    }

    @Bean
    ProductionModel<ItemNeighbours> neighbourModel(ModelRegistry registry, RecsysProperties properties,
                                                   MeterRegistry meters) {
        return new ProductionModel<>(registry, properties.model(),
                artifact -> ItemNeighbours.read(new ByteArrayInputStream(artifact)), meters);
    }

    @Bean
    ProductionModel<BlendWeights> rankerModel(ModelRegistry registry, RecsysProperties properties,
                                              MeterRegistry meters) {
        return new ProductionModel<>(registry, properties.rankerModel(),
                artifact -> BlendWeights.read(new ByteArrayInputStream(artifact)), meters);
    }

    @Bean
    ProductionModel<TwoTowerRetrieval> retrievalModel(ModelRegistry registry, RecsysProperties properties,
                                                      MeterRegistry meters) {
        return new ProductionModel<>(registry, properties.retrievalModel(), artifact -> TwoTowerRetrieval.indexed(
                TwoTowerModel.read(new ByteArrayInputStream(artifact)), RETRIEVAL_INDEX), meters);
    }

    @Bean
    OnlineSignals onlineSignals(FeatureStore store, Catalogue catalogue, NewItemBandit bandit, Clock clock,
                                RecsysProperties properties) {
        return new OnlineSignals(store.online(), catalogue, bandit, clock, properties.newItemAge(),
                properties.newItemsExplored());
    }

    @Bean
    RecommendationService recommendationService(OnlineSignals signals, Catalogue catalogue,
                                                ProductionModel<ItemNeighbours> neighbourModel,
                                                ProductionModel<TwoTowerRetrieval> retrievalModel,
                                                ProductionModel<BlendWeights> rankerModel,
                                                ServingExperiments experiments,
                                                ImpressionLog impressions, NewItemBandit bandit, Clock clock,
                                                MeterRegistry meters) {
        return new RecommendationService(signals, new RecommendationEngine(catalogue), neighbourModel, retrievalModel,
                rankerModel, experiments,
                impressions, bandit, clock, meters);
    }

    @Bean
    FeedbackProcessor feedbackProcessor(StatefulRedisConnection<String, String> redis, ImpressionLog impressions,
                                        NewItemBandit bandit, ServingExperiments experiments, MeterRegistry meters) {
        return new FeedbackProcessor(redis.sync(), impressions, bandit, experiments, meters);
    }

    @Bean
    KafkaEventPublisher kafkaEventPublisher(KafkaTemplate<String, byte[]> kafka, RecsysProperties properties) {
        return new KafkaEventPublisher(kafka, properties.topics().interactions(), properties.topics().items(),
                properties.interactionAckTimeout());
    }

    @Bean
    InteractionIntake interactionIntake(Catalogue catalogue, StatefulRedisConnection<String, String> redis,
                                        KafkaEventPublisher publisher, Clock clock) {
        return new InteractionIntake(catalogue, redis.sync(), publisher::publish, clock);
    }

    private static ServingPolicy policy(RecsysProperties.Policy policy, String experiment, String arm) {
        return new ServingPolicy(experiment, arm, new BlendWeights(policy.collaborative(), policy.recent(),
                policy.embedding(), policy.trending(), policy.content()), policy.learntWeights(), policy.diversity(),
                policy.explorationSlots());
    }
}
