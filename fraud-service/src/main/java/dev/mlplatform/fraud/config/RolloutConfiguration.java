package dev.mlplatform.fraud.config;

import dev.mlplatform.core.experiment.Experiment;
import dev.mlplatform.core.inference.OnnxPredictorOptions;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelStage;
import dev.mlplatform.fraud.model.ChallengerOutcomes;
import dev.mlplatform.fraud.model.ChampionChallengers;
import dev.mlplatform.fraud.model.FraudModelManager;
import dev.mlplatform.fraud.model.ModelExperiment;
import dev.mlplatform.fraud.model.ModelRollout;
import dev.mlplatform.fraud.model.ServingModel;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Champion and challengers: canary and shadow slots following the registry, routing, experiments. */
@Configuration(proxyBeanMethods = false)
class RolloutConfiguration {

    /** The configured experiments, checked once at start: a definition that cannot run stops the service. */
    record ModelExperiments(List<ModelExperiment> all) {
    }

    @Bean
    ModelExperiments modelExperiments(ExperimentProperties properties) {
        List<ModelExperiment> experiments = new ArrayList<>();
        properties.experiments().forEach((name, definition) -> {
            List<Experiment.Arm> arms = new ArrayList<>();
            Map<String, ModelStage> stages = new LinkedHashMap<>();
            for (ExperimentProperties.Arm arm : definition.arms()) {
                arms.add(new Experiment.Arm(arm.name(), arm.weight()));
                stages.put(arm.name(), arm.stage());
            }
            experiments.add(new ModelExperiment(
                    new Experiment(name, arms, definition.salt(), definition.start(), definition.stop()), stages));
        });
        return new ModelExperiments(experiments);
    }

    @Bean(destroyMethod = "close")
    ModelRollout modelRollout(ModelRegistry registry, FraudModelManager production, FraudProperties properties,
                              MeterRegistry meters) {
        return new ModelRollout(registry, properties.model().name(), production, meters,
                OnnxPredictorOptions.defaults());
    }

    @Bean(destroyMethod = "close")
    ChampionChallengers championChallengers(ServingModel production, ModelRollout rollout, RolloutProperties properties,
                                            ModelExperiments experiments, Clock clock, MeterRegistry meters) {
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor shadowThreads = new ThreadPoolExecutor(properties.shadowThreads(),
                properties.shadowThreads(), 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(properties.shadowQueue()),
                runnable -> {
                    Thread thread = new Thread(runnable, "shadow-scoring-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        return new ChampionChallengers(production, rollout.canary(), rollout.shadow(), properties.canaryShare(),
                properties.canarySalt(), experiments.all(), shadowThreads, properties.shadowTimeout(), clock, meters);
    }

    @Bean
    ChallengerOutcomes challengerOutcomes(ModelExperiments experiments, MeterRegistry meters) {
        return new ChallengerOutcomes(experiments.all(), meters);
    }
}
