package dev.mlplatform.fraud.model;

import dev.mlplatform.core.experiment.Experiment;
import dev.mlplatform.core.registry.ModelStage;
import java.util.Map;

/**
 * An A/B experiment between the model versions this service serves: every arm is decided by the
 * production model or by the canary, so that comparing a challenger with the champion means putting
 * it in canary and starting an experiment with one arm on each.
 *
 * @param experiment the arms, weights, salt and running time
 * @param armStages  per arm, the stage whose model decides it: {@link ModelStage#PRODUCTION} or {@link ModelStage#CANARY}
 */
public record ModelExperiment(Experiment experiment, Map<String, ModelStage> armStages) {

    public ModelExperiment {
        armStages = Map.copyOf(armStages);
        for (Experiment.Arm arm : experiment.arms()) {
            ModelStage stage = armStages.get(arm.name());
            if (stage != ModelStage.PRODUCTION && stage != ModelStage.CANARY) {
                throw new IllegalArgumentException("experiment " + experiment.name() + ", arm " + arm.name()
                        + ": stage must be PRODUCTION or CANARY (the models that decide), got " + stage);
            }
        }
        if (armStages.size() != experiment.arms().size()) {
            throw new IllegalArgumentException("experiment " + experiment.name() + ": stages given for arms "
                    + armStages.keySet() + " that it does not have");
        }
    }

    public String name() {
        return experiment.name();
    }

    public ModelStage stageOf(String arm) {
        return armStages.get(arm);
    }
}
