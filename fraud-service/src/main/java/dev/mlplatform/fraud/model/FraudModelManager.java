package dev.mlplatform.fraud.model;

import dev.mlplatform.core.inference.OnnxPredictorOptions;
import dev.mlplatform.core.registry.ModelFormat;
import dev.mlplatform.core.registry.ModelRegistration;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelVersion;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the serving model in step with the registry: on start, loads the production version of the
 * model, or, when there is none that fits this code's features, trains one on simulated data,
 * registers it with its metrics and lineage and promotes it; afterwards, follows promotions and
 * rollbacks made by anyone, swapping without failing a request.
 */
public final class FraudModelManager {

    private static final Logger log = LoggerFactory.getLogger(FraudModelManager.class);

    private final ModelRegistry registry;
    private final ServingModel serving;
    private final String name;
    private final FraudModelTrainer trainer;
    private final Supplier<FraudModelTrainer.Plan> plan;
    private final OnnxPredictorOptions options;
    private final ServingDrift drift;

    public FraudModelManager(ModelRegistry registry, ServingModel serving, String name, FraudModelTrainer trainer,
                             Supplier<FraudModelTrainer.Plan> plan, OnnxPredictorOptions options, ServingDrift drift) {
        this.registry = registry;
        this.serving = serving;
        this.name = name;
        this.trainer = trainer;
        this.plan = plan;
        this.options = options;
        this.drift = drift;
    }

    /** Serves the production model, training, registering and promoting one first when needed. */
    public ModelVersion ensureServing() {
        Optional<ModelVersion> production = registry.production(name);
        if (production.isPresent()) {
            ModelVersion version = production.get();
            String problem = incompatibility(version);
            if (problem == null) {
                try {
                    load(version);
                    return version;
                } catch (RuntimeException e) {
                    log.warn("production model {} cannot be loaded ({}); training a new one", version.reference(),
                            e.getMessage());
                }
            } else {
                log.warn("production model {} does not fit this service ({}); training a new one",
                        version.reference(), problem);
            }
        } else {
            log.info("no production model '{}' in the registry: training one (first start)", name);
        }
        ModelVersion trained = trainRegisterAndPromote();
        load(trained);
        return trained;
    }

    /** Swaps to the registry's production version when it changed; returns it when swapped. */
    public synchronized Optional<ModelVersion> refresh() {
        Optional<ModelVersion> production = registry.production(name);
        if (production.isEmpty() || production.get().reference().equals(serving.version())) {
            return Optional.empty();
        }
        ModelVersion version = production.get();
        String problem = incompatibility(version);
        if (problem != null) {
            log.error("production model {} does not fit this service ({}); still serving {}", version.reference(),
                    problem, serving.version());
            return Optional.empty();
        }
        load(version);
        return production;
    }

    /** Trains on the plan's simulated data, registers the ONNX model and promotes it to production. */
    public ModelVersion trainRegisterAndPromote() {
        long started = System.nanoTime();
        try (FraudModelTrainer.TrainedModel trained = trainer.train(plan.get())) {
            ModelVersion registered = registry.register(
                    new ModelRegistration(name, ModelFormat.ONNX, trained.metrics(), trained.lineage()), trained.onnx());
            registry.promote(name, registered.version(), "trained by fraud-service on start: no usable production model");
            log.info("training fraud model: registered and promoted {} in {} s", registered.reference(),
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
            return registry.version(name, registered.version()).orElse(registered);
        }
    }

    private void load(ModelVersion version) {
        serving.swap(version.reference(), LoadedModel.load(registry, version, options));
        drift.watch(version);
        log.info("serving fraud model {} (held-out auc_roc={}, average_precision={})", version.reference(),
                version.metrics().get("auc_roc"), version.metrics().get("average_precision"));
    }

    /** Why the version cannot serve this code's feature vector, or null when it can. */
    static String incompatibility(ModelVersion version) {
        if (version.format() != ModelFormat.ONNX) {
            return "format " + version.format() + ", expected ONNX";
        }
        String features = version.lineage().params().get(ModelParams.FEATURE_NAMES);
        String expected = String.join(",", FraudFeatureVector.NAMES);
        if (!expected.equals(features)) {
            return "trained on features [" + features + "], this service computes [" + expected + "]";
        }
        return null;
    }
}
