package dev.mlplatform.fraud.model;

import dev.mlplatform.core.inference.OnnxPredictorOptions;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelRolledBack;
import dev.mlplatform.core.registry.ModelStage;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.fraud.scoring.RiskModel;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model's rollout in this service. Beside production (kept by {@link FraudModelManager}), the
 * newest registry version in {@link ModelStage#CANARY} serves its share of cards and the newest in
 * {@link ModelStage#SHADOW} scores every transaction without deciding; each in its own hot-swappable
 * slot, so that a swap never fails a request. Versions that do not fit this service's features are
 * refused with one log line and the next older one in the stage is served instead.
 *
 * <p>Stage changes made here (shadow, canary, promote, archive, roll back) go to the registry first
 * and then at once to the models in service; other instances follow at their next registry poll.
 */
public final class ModelRollout implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelRollout.class);

    private final ModelRegistry registry;
    private final String name;
    private final FraudModelManager production;
    private final ServingModel canary;
    private final ServingModel shadow;
    private final OnnxPredictorOptions options;
    /** Versions refused in a stage, logged once each: reference, stage and when it entered the stage. */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    public ModelRollout(ModelRegistry registry, String name, FraudModelManager production, MeterRegistry meters,
                        OnnxPredictorOptions options) {
        this.registry = registry;
        this.name = name;
        this.production = production;
        this.canary = new ServingModel(meters, "fraud.model.canary", "1 for the canary version in service");
        this.shadow = new ServingModel(meters, "fraud.model.shadow", "1 for the shadow version in service");
        this.options = options;
    }

    /** The canary slot: scores fail with {@code ModelUnavailableException} while none serves. */
    public RiskModel canary() {
        return canary;
    }

    /** The shadow slot: scores fail with {@code ModelUnavailableException} while none serves. */
    public RiskModel shadow() {
        return shadow;
    }

    public String modelName() {
        return name;
    }

    public Optional<ModelVersion> version(int number) {
        return registry.version(name, number);
    }

    /** Every version of the model, oldest first. */
    public List<ModelVersion> versions() {
        return registry.versions(name);
    }

    /**
     * Brings production, canary and shadow in line with the registry. Serialised: a poll and an
     * operator's change never load in the opposite order of the registry's changes.
     */
    public synchronized void refresh() {
        production.refresh();
        follow(ModelStage.CANARY, canary);
        follow(ModelStage.SHADOW, shadow);
    }

    /**
     * Moves {@code version} to {@code stage} in the registry and serves the result at once. Promotion
     * ({@link ModelStage#PRODUCTION}) archives the current production version; a new canary or shadow
     * archives the version it replaces in that stage.
     *
     * @throws NoSuchElementException      when the version does not exist
     * @throws IncompatibleModelException  when it cannot serve this service's features
     * @throws IllegalStateException       when the registry refuses the move (already there, in production)
     * @throws IllegalArgumentException    for a stage other than shadow, canary, production or archived
     */
    public ModelVersion changeStage(int version, ModelStage stage, String reason) {
        ModelVersion target = registry.version(name, version)
                .orElseThrow(() -> new NoSuchElementException("no version " + version + " of model " + name));
        switch (stage) {
            case PRODUCTION -> {
                requireCompatible(target);
                registry.promote(name, version, reason);
            }
            case CANARY, SHADOW -> {
                requireCompatible(target);
                registry.moveToStage(name, version, stage, reason);
                for (ModelVersion replaced : registry.inStage(name, stage)) {
                    if (replaced.version() != version) {
                        registry.moveToStage(name, replaced.version(), ModelStage.ARCHIVED,
                                "replaced as " + stage + " by version " + version);
                    }
                }
            }
            case ARCHIVED -> registry.moveToStage(name, version, stage, reason);
            default -> throw new IllegalArgumentException("a version can be put in SHADOW, CANARY, PRODUCTION or "
                    + "ARCHIVED, not " + stage);
        }
        log.info("model {} moved from {} to {}: {}", target.reference(), target.stage(), stage, reason);
        refresh();
        return registry.version(name, version).orElseThrow();
    }

    /**
     * Puts back the production version that the current one replaced, and serves it at once.
     *
     * @throws IllegalStateException when there is nothing to roll back to
     */
    public ModelRolledBack rollback(String reason) {
        ModelRolledBack rolledBack = registry.rollback(name, reason);
        log.info("model {} rolled back from version {} to {}: {}", name, rolledBack.fromVersion(),
                rolledBack.toVersion(), reason);
        refresh();
        return rolledBack;
    }

    /** Serves the newest version in {@code stage} that fits, or nothing when none does. */
    private void follow(ModelStage stage, ServingModel slot) {
        List<ModelVersion> inStage = registry.inStage(name, stage);
        for (int i = inStage.size() - 1; i >= 0; i--) {
            ModelVersion candidate = inStage.get(i);
            if (candidate.reference().equals(slot.version())) {
                return;
            }
            String key = candidate.reference() + " " + stage + " " + candidate.stageChangedAt();
            if (refused.contains(key)) {
                continue;
            }
            String problem = FraudModelManager.incompatibility(candidate);
            if (problem != null) {
                refused.add(key);
                log.error("{} model {} does not fit this service ({}); not serving it", stage, candidate.reference(),
                        problem);
                continue;
            }
            try {
                slot.swap(candidate.reference(), LoadedModel.load(registry, candidate, options));
                log.info("serving {} model {} beside production", stage, candidate.reference());
                return;
            } catch (RuntimeException e) {
                refused.add(key);
                log.error("{} model {} cannot be loaded ({}); not serving it", stage, candidate.reference(),
                        e.getMessage());
            }
        }
        String retired = slot.version();
        if (retired != null) {
            slot.retire();
            log.info("no {} model to serve any more: retired {}", stage, retired);
        }
    }

    private static void requireCompatible(ModelVersion version) {
        String problem = FraudModelManager.incompatibility(version);
        if (problem != null) {
            throw new IncompatibleModelException(version.reference() + " does not fit this service: " + problem);
        }
    }

    @Override
    public void close() {
        canary.close();
        shadow.close();
    }

    /** A version that cannot score this service's feature vector; the registry was left unchanged. */
    public static final class IncompatibleModelException extends RuntimeException {

        IncompatibleModelException(String message) {
            super(message);
        }
    }
}
