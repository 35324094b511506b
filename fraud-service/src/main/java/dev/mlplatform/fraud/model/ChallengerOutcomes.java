package dev.mlplatform.fraud.model;

import dev.mlplatform.core.experiment.ExperimentOutcomes;
import dev.mlplatform.fraud.decision.DecisionRecord;
import dev.mlplatform.fraud.decision.ExperimentArm;
import dev.mlplatform.fraud.decision.Outcome;
import dev.mlplatform.fraud.decision.ShadowScore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the challengers did, counted on every new decision (a replay is not counted again):
 *
 * <ul>
 *   <li>the shadow's scores, {@code fraud.shadow.score{version}} (a histogram over 0..1, beside
 *       {@code fraud.decisions}), and the decisions it would have made differently,
 *       {@code fraud.shadow.disagreements{version, production, shadow}};</li>
 *   <li>per experiment arm, the decline rate, the review rate and the mean risk score
 *       ({@code fraud.experiment.*{experiment, arm}}), with the significance tests of
 *       {@link ExperimentOutcomes#report()}.</li>
 * </ul>
 */
public final class ChallengerOutcomes {

    /** The experiments' rate metrics: the decisions that declined, the decisions sent to review. */
    public static final String DECLINE = "decline";
    public static final String REVIEW = "review";
    /** The experiments' continuous metric. */
    public static final String RISK_SCORE = "risk_score";

    private static final double[] SCORE_BUCKETS = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0};

    private final MeterRegistry meters;
    private final Map<String, ExperimentOutcomes> experiments = new LinkedHashMap<>();
    private final Map<String, ModelExperiment> definitions = new LinkedHashMap<>();
    private final Map<String, DistributionSummary> shadowScores = new ConcurrentHashMap<>();
    private final Map<String, Counter> disagreements = new ConcurrentHashMap<>();

    public ChallengerOutcomes(List<ModelExperiment> experiments, MeterRegistry meters) {
        this.meters = meters;
        for (ModelExperiment experiment : experiments) {
            definitions.put(experiment.name(), experiment);
            this.experiments.put(experiment.name(), new ExperimentOutcomes(experiment.experiment(),
                    List.of(DECLINE, REVIEW), List.of(RISK_SCORE), "fraud", meters));
        }
    }

    /** Counts a decision that was just stored. */
    public void record(DecisionRecord record) {
        ShadowScore shadow = record.rollout().shadow();
        Outcome outcome = record.decision().outcome();
        if (shadow != null) {
            shadowScores.computeIfAbsent(shadow.modelVersion(), this::startShadow).record(shadow.riskScore());
            if (shadow.decision() != outcome) {
                disagreements.get(disagreementKey(shadow.modelVersion(), outcome, shadow.decision())).increment();
            }
        }
        ExperimentArm arm = record.rollout().experiment();
        if (arm != null) {
            ExperimentOutcomes outcomes = experiments.get(arm.name());
            if (outcomes != null) {
                outcomes.record(arm.arm(), outcome == Outcome.DECLINE ? Set.of(DECLINE)
                                : outcome == Outcome.REVIEW ? Set.of(REVIEW) : Set.of(),
                        Map.of(RISK_SCORE, record.decision().riskScore()));
            }
        }
    }

    /** The configured experiment {@code name}. */
    public Optional<ModelExperiment> experiment(String name) {
        return Optional.ofNullable(definitions.get(name));
    }

    /** The outcomes of experiment {@code name} in this instance since it started. */
    public Optional<ExperimentOutcomes> outcomes(String name) {
        return Optional.ofNullable(experiments.get(name));
    }

    /**
     * The meters of a shadow version seen for the first time: its score histogram and, at zero, a counter for
     * every way it may disagree, so that a rate over them misses none of the first disagreements.
     */
    private DistributionSummary startShadow(String version) {
        for (Outcome production : Outcome.values()) {
            for (Outcome shadow : Outcome.values()) {
                if (production != shadow) {
                    disagreements.put(disagreementKey(version, production, shadow),
                            disagreementCounter(version, production, shadow));
                }
            }
        }
        return DistributionSummary.builder("fraud.shadow.score")
                .description("Scores of the shadow model, which never decide: compare with the production model's")
                .tag("version", version)
                .serviceLevelObjectives(SCORE_BUCKETS)
                .register(meters);
    }

    private static String disagreementKey(String version, Outcome production, Outcome shadow) {
        return version + ' ' + production + ' ' + shadow;
    }

    private Counter disagreementCounter(String version, Outcome production, Outcome shadow) {
        return Counter.builder("fraud.shadow.disagreements")
                .description("Decisions the shadow model's score would have made differently, with the same rules")
                .tag("version", version)
                .tag("production", production.name())
                .tag("shadow", shadow.name())
                .register(meters);
    }
}
