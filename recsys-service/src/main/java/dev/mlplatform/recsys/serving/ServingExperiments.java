package dev.mlplatform.recsys.serving;

import dev.mlplatform.core.experiment.Experiment;
import dev.mlplatform.core.experiment.ExperimentOutcomes;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A/B experiments between serving policies: sticky assignment by user id (platform-core {@link Experiment}), the
 * arm's policy, and each arm's outcomes — units are impressions, {@code click} the rate of those with an
 * interaction on one of their items within the attribution window, {@code watch_seconds} the mean watch time.
 */
public final class ServingExperiments {

    public static final String CLICK = "click";
    public static final String WATCH_SECONDS = "watch_seconds";

    /** One experiment, each arm's policy, and what each arm has seen. */
    public record Running(Experiment experiment, Map<String, ServingPolicy> policies, ExperimentOutcomes outcomes) {
    }

    private final ServingPolicy defaultPolicy;
    private final Map<String, Running> experiments = new LinkedHashMap<>();

    public ServingExperiments(ServingPolicy defaultPolicy) {
        this.defaultPolicy = defaultPolicy;
    }

    /**
     * Adds an experiment; its arms' policies by arm name (an arm without one serves the default policy).
     *
     * @throws IllegalArgumentException when it overlaps another in time: a user must be in at most one
     */
    public void add(Experiment experiment, Map<String, ServingPolicy> armPolicies, MeterRegistry meters) {
        for (Running other : experiments.values()) {
            if (other.experiment().overlaps(experiment)) {
                throw new IllegalArgumentException("experiments " + other.experiment().name() + " and "
                        + experiment.name() + " overlap in time; a user can be in only one");
            }
        }
        Map<String, ServingPolicy> policies = new LinkedHashMap<>();
        for (Experiment.Arm arm : experiment.arms()) {
            ServingPolicy policy = armPolicies.getOrDefault(arm.name(), defaultPolicy);
            policies.put(arm.name(), policy.inArm(experiment.name(), arm.name()));
        }
        experiments.put(experiment.name(), new Running(experiment, policies,
                new ExperimentOutcomes(experiment, List.of(CLICK), List.of(WATCH_SECONDS), "recs", meters)));
    }

    /** The policy that serves the user now: their arm's in the running experiment, else the default. */
    public ServingPolicy policyFor(String userId, Instant now) {
        for (Running running : experiments.values()) {
            if (running.experiment().runsAt(now)) {
                return running.policies().get(running.experiment().assign(userId).name());
            }
        }
        return defaultPolicy;
    }

    /** Records a closed impression's outcome in its arm; one of an experiment since removed is dropped. */
    public void recordOutcome(String experiment, String arm, boolean clicked, long watchSeconds) {
        Running running = experiment == null ? null : experiments.get(experiment);
        if (running == null || !running.policies().containsKey(arm)) {
            return;
        }
        running.outcomes().record(arm, clicked ? Set.of(CLICK) : Set.of(),
                Map.of(WATCH_SECONDS, (double) watchSeconds));
    }

    public Optional<Running> experiment(String name) {
        return Optional.ofNullable(experiments.get(name));
    }

    public List<Running> all() {
        return new ArrayList<>(experiments.values());
    }
}
