package dev.mlplatform.fraud.config;

import dev.mlplatform.core.inference.OnnxPredictorOptions;
import dev.mlplatform.core.registry.CodeVersion;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.training.gbdt.EvalMetric;
import dev.mlplatform.core.training.gbdt.GbdtParams;
import dev.mlplatform.fraud.decision.DecisionPolicy;
import dev.mlplatform.fraud.model.FraudModelManager;
import dev.mlplatform.fraud.model.FraudModelTrainer;
import dev.mlplatform.fraud.model.ServingDrift;
import dev.mlplatform.fraud.model.ServingModel;
import dev.mlplatform.fraud.training.CandidateSink;
import dev.mlplatform.fraud.training.TrainingRuns;
import dev.mlplatform.simulators.fraud.SimulationConfig;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The model: registry-backed manager, first-start training plan, readiness on a loaded model; training runs on
 * historical data through the API.
 */
@Configuration(proxyBeanMethods = false)
class ModelConfiguration {

    @Bean
    FraudModelManager fraudModelManager(ModelRegistry registry, ServingModel serving, FraudProperties properties,
                                        DecisionPolicy policy, ServingDrift drift) {
        FraudProperties.Training training = properties.model().training();
        return new FraudModelManager(registry, serving, properties.model().name(), new FraudModelTrainer(),
                () -> new FraudModelTrainer.Plan(
                        SimulationConfig.of(training.customers(), training.terminals(), training.startDay(),
                                training.seed()),
                        training.days(), 2, training.testDays(),
                        GbdtParams.defaults()
                                .withMaxRounds(training.rounds())
                                .withMaxDepth(training.maxDepth())
                                .withEarlyStopping(20, EvalMetric.LOGLOSS)
                                .withSeed(training.seed())
                                .withThreads(Math.max(1, Runtime.getRuntime().availableProcessors())),
                        policy, CodeVersion.current("fraud-service")),
                OnnxPredictorOptions.defaults(), drift);
    }

    /** Readiness: out of service until a model is serving (first start trains one). */
    @Bean("model")
    ModelReadiness modelReadiness(ServingModel serving) {
        return new ModelReadiness(serving);
    }

    @Bean(destroyMethod = "close")
    TrainingRuns trainingRuns(FraudProperties properties, ModelRegistry registry, Clock clock) {
        FraudProperties.TrainingRuns runs = properties.trainingRuns();
        return new TrainingRuns(Path.of(runs.dataDir()), Path.of(runs.outDir()),
                () -> CandidateSink.of(registry, "the service's model registry"), clock);
    }
}
