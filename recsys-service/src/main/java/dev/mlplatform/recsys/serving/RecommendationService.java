package dev.mlplatform.recsys.serving;

import dev.mlplatform.recsys.feedback.Impression;
import dev.mlplatform.recsys.feedback.ImpressionLog;
import dev.mlplatform.recsys.feedback.NewItemBandit;
import dev.mlplatform.recsys.model.ItemNeighbours;
import dev.mlplatform.recsys.ranking.BlendWeights;
import dev.mlplatform.recsys.ranking.Source;
import dev.mlplatform.recsys.retrieval.TwoTowerRetrieval;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.commons.math3.random.JDKRandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request: the user's policy (their experiment arm), their signals, the engine's list, and the impression
 * that lets later interactions count as its clicks and the bandit learn.
 */
public final class RecommendationService {

    private static final Logger log = LoggerFactory.getLogger(RecommendationService.class);

    private final OnlineSignals signals;
    private final RecommendationEngine engine;
    private final Supplier<ServedModel<ItemNeighbours>> neighbours;
    private final Supplier<ServedModel<TwoTowerRetrieval>> retrieval;
    private final Supplier<ServedModel<BlendWeights>> ranker;
    private final ServingExperiments experiments;
    private final ImpressionLog impressions;
    private final NewItemBandit bandit;
    private final Clock clock;
    /** Registered once, not looked up per request: by cold start, then by degraded (false, true). */
    private final Timer[][] latency = new Timer[2][2];
    private final Map<String, Counter> itemsBySource = new HashMap<>();

    public RecommendationService(OnlineSignals signals, RecommendationEngine engine,
                                 Supplier<ServedModel<ItemNeighbours>> neighbours,
                                 Supplier<ServedModel<TwoTowerRetrieval>> retrieval,
                                 Supplier<ServedModel<BlendWeights>> ranker, ServingExperiments experiments,
                                 ImpressionLog impressions, NewItemBandit bandit, Clock clock, MeterRegistry meters) {
        this.signals = signals;
        this.engine = engine;
        this.neighbours = neighbours;
        this.retrieval = retrieval;
        this.ranker = ranker;
        this.experiments = experiments;
        this.impressions = impressions;
        this.bandit = bandit;
        this.clock = clock;
        for (int coldStart = 0; coldStart < 2; coldStart++) {
            for (int degraded = 0; degraded < 2; degraded++) {
                latency[coldStart][degraded] = Timer.builder("recs.recommendations")
                        .description("Lists served, by whether anything personal was known and whether the store "
                                + "answered")
                        .tag("cold_start", Boolean.toString(coldStart == 1))
                        .tag("degraded", Boolean.toString(degraded == 1))
                        .publishPercentileHistogram()
                        .register(meters);
            }
        }
        for (Source source : Source.values()) {
            itemsBySource.put(source.label(), Counter.builder("recs.recommended.items")
                    .description("Items served, by the source that placed them")
                    .tag("source", source.label()).register(meters));
        }
    }

    /**
     * @param region    where the user is, if the client knows; else their latest or stated region
     * @param diversity overrides the policy's MMR trade-off for this request, or null
     */
    public Recommendations recommend(String userId, int k, String region, Double diversity) {
        long start = System.nanoTime();
        Instant now = clock.instant();
        ServingPolicy policy = experiments.policyFor(userId, now);
        if (diversity != null) {
            policy = policy.withDiversity(diversity);
        }
        UserSignals userSignals = signals.read(userId, region);
        Recommendations recommendations = engine.recommend(userSignals,
                new ServingModels(neighbours.get(), retrieval.get(),
                        policy.learntWeights() ? ranker.get() : ServedModel.none()), k, policy,
                new JDKRandomGenerator());
        if (!recommendations.degraded()) {
            remember(recommendations, now);
        }
        latency[recommendations.coldStart() ? 1 : 0][recommendations.degraded() ? 1 : 0]
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        for (Recommendations.RecommendedItem item : recommendations.items()) {
            itemsBySource.get(item.source()).increment();
        }
        return recommendations;
    }

    /** Bookkeeping must never fail a list the user is waiting for: a failure is logged and the list served. */
    private void remember(Recommendations recommendations, Instant now) {
        List<String> items = recommendations.items().stream().map(Recommendations.RecommendedItem::itemId).toList();
        List<String> explored = recommendations.items().stream()
                .filter(item -> item.source().equals(Source.EXPLORATION.label()))
                .map(Recommendations.RecommendedItem::itemId)
                .toList();
        try {
            impressions.record(new Impression(UUID.randomUUID().toString(), recommendations.userId(),
                    recommendations.experiment(), recommendations.arm(), items, explored, now));
            bandit.shown(explored);
        } catch (RuntimeException e) {
            log.warn("impression of {} not recorded: {}", recommendations.userId(), e.toString());
        }
    }
}
