package dev.mlplatform.fraud.model;

import dev.mlplatform.core.experiment.Experiment;
import dev.mlplatform.core.registry.ModelStage;
import dev.mlplatform.core.rollout.TrafficSplit;
import dev.mlplatform.fraud.decision.ExperimentArm;
import dev.mlplatform.fraud.scoring.ModelRouter;
import dev.mlplatform.fraud.scoring.ModelScores;
import dev.mlplatform.fraud.scoring.ModelUnavailableException;
import dev.mlplatform.fraud.scoring.RiskModel;
import dev.mlplatform.fraud.scoring.RoutedScore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The champion (production) and its challengers on the scoring path.
 *
 * <ul>
 *   <li>While an experiment runs and every one of its arms' models serves, each card's arm picks the
 *       model that decides it (production or canary), and the arm goes with the decision.</li>
 *   <li>Otherwise a canary, when one serves, decides the cards in its share of the canary split:
 *       the same cards every time, chosen by the card token's stable hash.</li>
 *   <li>Production decides everything else. Should the canary be retired between the choice and the
 *       call, production decides its rows too: a swap never fails a request.</li>
 *   <li>A shadow, when one serves, scores every row on its own thread while production scores; its
 *       answer waits at most {@code shadowTimeout} after production's and is never used to decide.
 *       A shadow that fails, is late or finds its queue full is counted in
 *       {@code fraud.shadow.failures{cause}} and the decision goes on without it.</li>
 * </ul>
 */
public final class ChampionChallengers implements ModelRouter, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChampionChallengers.class);

    private final RiskModel production;
    private final RiskModel canary;
    private final RiskModel shadow;
    private final TrafficSplit canarySplit;
    private final int canaryBuckets;
    private final List<ModelExperiment> experiments;
    private final ExecutorService shadowThreads;
    private final Duration shadowTimeout;
    private final Clock clock;
    private final Counter shadowErrors;
    private final Counter shadowTimeouts;
    private final Counter shadowRejections;
    /** The shadow version whose failure was last logged: one log line per failing version, the counter for the rest. */
    private volatile String loggedShadowFailure;

    /**
     * @param canaryShare   the fraction of cards the canary decides, in [0, 1]
     * @param canarySalt    the canary split's salt
     * @param experiments   experiments between production and canary, no two running at once
     * @param shadowThreads where the shadow scores, owned from now on; a bounded queue, so that a slow shadow
     *                      sheds its work
     * @param shadowTimeout how long a decision waits for the shadow after production answered
     */
    public ChampionChallengers(RiskModel production, RiskModel canary, RiskModel shadow, double canaryShare,
                               String canarySalt, List<ModelExperiment> experiments, ExecutorService shadowThreads,
                               Duration shadowTimeout, Clock clock, MeterRegistry meters) {
        this.production = production;
        this.canary = canary;
        this.shadow = shadow;
        this.canarySplit = new TrafficSplit(canarySalt);
        this.canaryBuckets = TrafficSplit.bucketsFor(canaryShare);
        this.experiments = List.copyOf(experiments);
        for (int i = 0; i < this.experiments.size(); i++) {
            for (int j = i + 1; j < this.experiments.size(); j++) {
                Experiment a = this.experiments.get(i).experiment();
                Experiment b = this.experiments.get(j).experiment();
                if (a.overlaps(b)) {
                    throw new IllegalArgumentException("experiments " + a.name() + " and " + b.name()
                            + " overlap in time: a card can be in one model experiment at a time");
                }
            }
        }
        this.shadowThreads = shadowThreads;
        this.shadowTimeout = shadowTimeout;
        this.clock = clock;
        this.shadowErrors = shadowFailures(meters, "error");
        this.shadowTimeouts = shadowFailures(meters, "timeout");
        this.shadowRejections = shadowFailures(meters, "rejected");
    }

    private static Counter shadowFailures(MeterRegistry meters, String cause) {
        return Counter.builder("fraud.shadow.failures")
                .description("Batches the shadow model did not score: it threw (error), was later than the "
                        + "shadow timeout (timeout) or found its queue full (rejected); decisions went on without it")
                .tag("cause", cause)
                .register(meters);
    }

    @Override
    public List<RoutedScore> score(List<String> cardTokens, float[][] rows) {
        Future<ModelScores> shadowScores = startShadow(rows);
        ModelExperiment experiment = activeExperiment().orElse(null);
        boolean canaryShareServes = experiment == null && canaryBuckets > 0 && canary.version() != null;
        ExperimentArm[] arms = new ExperimentArm[rows.length];
        boolean[] byCanary = new boolean[rows.length];
        int canaryRows = 0;
        for (int i = 0; i < rows.length; i++) {
            String card = cardTokens.get(i);
            if (experiment != null) {
                String arm = experiment.experiment().assign(card).name();
                arms[i] = new ExperimentArm(experiment.name(), arm);
                byCanary[i] = experiment.stageOf(arm) == ModelStage.CANARY;
            } else {
                byCanary[i] = canaryShareServes && canarySplit.bucket(card) < canaryBuckets;
            }
            if (byCanary[i]) {
                canaryRows++;
            }
        }
        ModelScores[] scoredBy = new ModelScores[rows.length];
        int[] indexIn = new int[rows.length];
        try {
            if (canaryRows == 0) {
                fill(scoredBy, indexIn, production.score(rows), null, byCanary, false);
            } else if (canaryRows == rows.length) {
                scoreCanaryRows(rows, arms, byCanary, scoredBy, indexIn);
            } else {
                fill(scoredBy, indexIn, production.score(select(rows, byCanary, false)), null, byCanary, false);
                scoreCanaryRows(select(rows, byCanary, true), arms, byCanary, scoredBy, indexIn);
            }
        } catch (RuntimeException e) {
            // No decision without production (none loaded yet): the shadow's work would be thrown away.
            if (shadowScores != null) {
                shadowScores.cancel(true);
            }
            throw e;
        }
        ModelScores shadowed = awaitShadow(shadowScores);

        List<RoutedScore> routed = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            ModelScores scores = scoredBy[i];
            RoutedScore.Shadow shadowScore = shadowed == null ? null
                    : new RoutedScore.Shadow(shadowed.modelVersion(), shadowed.scores()[i]);
            routed.add(new RoutedScore(scores.scores()[indexIn[i]], scores.modelVersion(), scores.signals(), arms[i],
                    shadowScore));
        }
        return routed;
    }

    /** The experiment that routes cards now: in its time window, with every arm's model serving. */
    public Optional<ModelExperiment> activeExperiment() {
        if (experiments.isEmpty()) {
            return Optional.empty();
        }
        boolean canaryServes = canary.version() != null;
        Instant now = clock.instant();
        for (ModelExperiment experiment : experiments) {
            if (experiment.experiment().runsAt(now)
                    && (canaryServes || !experiment.armStages().containsValue(ModelStage.CANARY))) {
                return Optional.of(experiment);
            }
        }
        return Optional.empty();
    }

    /**
     * Scores the canary's rows ({@code canaryRows}, in row order); when the canary was retired since the
     * rows were routed, production scores them and they leave the experiment, whose arm they no longer test.
     */
    private void scoreCanaryRows(float[][] canaryRows, ExperimentArm[] arms, boolean[] byCanary, ModelScores[] scoredBy,
                                 int[] indexIn) {
        try {
            fill(scoredBy, indexIn, canary.score(canaryRows), null, byCanary, true);
        } catch (ModelUnavailableException retired) {
            fill(scoredBy, indexIn, production.score(canaryRows), arms, byCanary, true);
        }
    }

    /** Assigns {@code scores} (of the rows with {@code byCanary[i] == canary}, in order) to those rows. */
    private static void fill(ModelScores[] scoredBy, int[] indexIn, ModelScores scores, ExperimentArm[] armsToClear,
                             boolean[] byCanary, boolean canary) {
        int next = 0;
        for (int i = 0; i < scoredBy.length; i++) {
            if (byCanary[i] == canary) {
                scoredBy[i] = scores;
                indexIn[i] = next++;
                if (armsToClear != null) {
                    armsToClear[i] = null;
                }
            }
        }
    }

    private static float[][] select(float[][] rows, boolean[] byCanary, boolean canary) {
        return IntStream.range(0, rows.length).filter(i -> byCanary[i] == canary)
                .mapToObj(i -> rows[i]).toArray(float[][]::new);
    }

    private Future<ModelScores> startShadow(float[][] rows) {
        if (shadow.version() == null) {
            return null;
        }
        try {
            return shadowThreads.submit(() -> shadow.score(rows));
        } catch (RejectedExecutionException e) {
            shadowRejections.increment();
            return null;
        }
    }

    private ModelScores awaitShadow(Future<ModelScores> pending) {
        if (pending == null) {
            return null;
        }
        try {
            return pending.get(shadowTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            shadowTimeouts.increment();
        } catch (ExecutionException e) {
            shadowErrors.increment();
            logShadowFailure(e.getCause());
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private void logShadowFailure(Throwable cause) {
        String version = String.valueOf(shadow.version());
        if (!version.equals(loggedShadowFailure)) {
            loggedShadowFailure = version;
            log.warn("shadow model {} failed to score (counted in fraud_shadow_failures_total, logged once): {}",
                    version, cause.toString());
        }
    }

    /** Stops the shadow threads; a shadow score still running is abandoned. */
    @Override
    public void close() {
        shadowThreads.shutdownNow();
    }
}
