package dev.mlplatform.recsys.serving;

import dev.mlplatform.core.events.CatalogueItem;
import dev.mlplatform.featurestore.definitions.RankedItems;
import dev.mlplatform.recsys.catalogue.Catalogue;
import dev.mlplatform.recsys.model.ItemNeighbours;
import dev.mlplatform.recsys.ranking.BlendWeights;
import dev.mlplatform.recsys.ranking.Source;
import dev.mlplatform.recsys.ranking.SourceScoring;
import dev.mlplatform.recsys.retrieval.TwoTowerRetrieval;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Turns a user's signals into a list: candidates from every source, each source scaled to [0, 1], blended by the
 * policy's weights, consumed items removed, diversified by MMR, and a new item placed by the bandit. Free of I/O:
 * the caller reads the signals and records what was shown.
 */
public final class RecommendationEngine {

    /** MMR chooses from this many of the best blended candidates per requested item. */
    static final int POOL_PER_ITEM = 5;
    /** The bandit's pick goes to this position (0-based) or the end of a shorter list. */
    static final int EXPLORATION_POSITION = 2;

    private final Catalogue catalogue;

    public RecommendationEngine(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    public Recommendations recommend(UserSignals signals, ServingModels models, int k, ServingPolicy policy,
                                     RandomGenerator random) {
        Set<String> consumed = new HashSet<>(signals.recent().itemIds());
        Map<String, Candidate> candidates = new LinkedHashMap<>();
        addScaled(candidates, Source.COLLABORATIVE, signals.candidates(), item -> "picked for you from your history");
        List<SourceScoring.Interaction> latest = signals.recent().entries().stream()
                .map(entry -> new SourceScoring.Interaction(entry.itemId(), entry.value())).toList();
        if (models.neighbours().present()) {
            addRecent(candidates, latest, models.neighbours().model());
        }
        if (models.retrieval().present()) {
            addEmbedding(candidates, latest, models.retrieval().model(), consumed);
        }
        String where = signals.trendingRegion() == null ? "trending now" : "trending in " + signals.trendingRegion();
        addScaled(candidates, Source.TRENDING, signals.trending(), item -> where);
        addContent(candidates, signals);

        BlendWeights weights = models.ranker().present() ? models.ranker().model() : policy.weights();
        List<Diversifier.ScoredItem> ranked = new ArrayList<>(candidates.size());
        for (Candidate candidate : candidates.values()) {
            if (consumed.contains(candidate.itemId) || !catalogue.contains(candidate.itemId)) {
                continue;
            }
            ranked.add(candidate.blend(weights));
        }
        ranked.sort(Comparator.comparingDouble(Diversifier.ScoredItem::score).reversed()
                .thenComparing(Diversifier.ScoredItem::itemId));
        List<Diversifier.ScoredItem> pool = ranked.subList(0, Math.min(ranked.size(), Math.max(50, k * POOL_PER_ITEM)));
        List<Diversifier.ScoredItem> chosen = new ArrayList<>(
                Diversifier.select(pool, k, policy.diversity(), catalogue::genreSimilarity));

        explore(chosen, signals, consumed, k, policy, random);

        List<Recommendations.RecommendedItem> items = chosen.stream()
                .map(item -> new Recommendations.RecommendedItem(item.itemId(),
                        catalogue.item(item.itemId()).map(CatalogueItem::title).orElse(item.itemId()),
                        Math.round(item.score() * 1e4) / 1e4, item.source().label(), item.reason()))
                .toList();
        List<String> versions = new ArrayList<>(4);
        for (String version : new String[] {signals.candidateModel(), models.neighbours().version(),
                models.retrieval().version(), models.ranker().version()}) {
            if (version != null && !versions.contains(version)) {
                versions.add(version);
            }
        }
        return new Recommendations(signals.userId(), items, versions, policy.experiment(), policy.arm(),
                signals.coldStart(), signals.degraded());
    }

    /** The bandit's new item replaces the list's weakest place at a visible position. */
    private void explore(List<Diversifier.ScoredItem> chosen, UserSignals signals, Set<String> consumed, int k,
                         ServingPolicy policy, RandomGenerator random) {
        Set<String> excluded = new HashSet<>(consumed);
        chosen.forEach(item -> excluded.add(item.itemId()));
        for (int slot = 0; slot < policy.explorationSlots(); slot++) {
            Optional<BanditArm> pick = ThompsonSampler.choose(signals.newItems(), excluded, random)
                    .filter(arm -> catalogue.contains(arm.itemId()));
            if (pick.isEmpty()) {
                return;
            }
            excluded.add(pick.get().itemId());
            if (chosen.size() >= k) {
                chosen.remove(chosen.size() - 1);
            }
            Diversifier.ScoredItem explored = new Diversifier.ScoredItem(pick.get().itemId(), 0, Source.EXPLORATION,
                    "new in the catalogue");
            chosen.add(Math.min(EXPLORATION_POSITION + slot, chosen.size()), explored);
        }
    }

    private static void addScaled(Map<String, Candidate> candidates, Source source, RankedItems items,
                                  Function<String, String> reason) {
        Map<String, Double> scores = new LinkedHashMap<>();
        items.entries().forEach(entry -> scores.merge(entry.itemId(), entry.value(), Math::max));
        SourceScoring.byMax(scores).forEach((item, scaled) ->
                candidates.computeIfAbsent(item, Candidate::new).add(source, scaled, reason.apply(item)));
    }

    /**
     * The real-time adjustment: the item-item model's scores of the latest interactions (each weighted by its
     * strength, fading with age), so that what the user did a minute ago changes the list now.
     */
    private void addRecent(Map<String, Candidate> candidates, List<SourceScoring.Interaction> latest,
                           ItemNeighbours neighbours) {
        Map<String, SourceScoring.Contribution> contributions = SourceScoring.recent(latest, neighbours);
        SourceScoring.byMax(SourceScoring.scores(contributions)).forEach((item, scaled) -> {
            String cause = contributions.get(item).cause();
            String title = catalogue.item(cause).map(CatalogueItem::title).orElse(cause);
            candidates.computeIfAbsent(item, Candidate::new).add(Source.RECENT, scaled, "because you watched " + title);
        });
    }

    /**
     * Retrieval from the whole catalogue: the two-tower model's user vector of the latest interactions, and the
     * nearest items to it in the HNSW index, scaled from the weakest retrieved to the strongest.
     */
    private void addEmbedding(Map<String, Candidate> candidates, List<SourceScoring.Interaction> latest,
                              TwoTowerRetrieval retrieval, Set<String> consumed) {
        List<String> history = latest.stream().limit(SourceScoring.RECENT_USED)
                .map(SourceScoring.Interaction::itemId).toList();
        Map<String, Double> scores = new LinkedHashMap<>();
        Map<String, String> closest = new HashMap<>();
        for (TwoTowerRetrieval.Match match : retrieval.retrieve(history, SourceScoring.EMBEDDING_RETRIEVED, consumed)) {
            scores.put(match.itemId(), (double) match.score());
            closest.put(match.itemId(), match.closestInHistory());
        }
        SourceScoring.minMax(scores).forEach((item, scaled) -> {
            String like = closest.get(item);
            candidates.computeIfAbsent(item, Candidate::new).add(Source.EMBEDDING, scaled,
                    "similar to " + catalogue.item(like).map(CatalogueItem::title).orElse(like));
        });
    }

    /**
     * Content: the user's genre profile (stated genres, and the genres of the latest interactions) matched against
     * the genres of what trends in those genres and of the newest items — the path by which a user with no history
     * and an item with no interactions still meet.
     */
    private void addContent(Map<String, Candidate> candidates, UserSignals signals) {
        Map<String, Double> profile = genreProfile(signals);
        if (profile.isEmpty()) {
            return;
        }
        double strongest = profile.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        for (RankedItems list : signals.genreTrending().values()) {
            for (RankedItems.Entry entry : list.entries()) {
                catalogue.item(entry.itemId()).ifPresent(item -> addByGenre(candidates, item, profile, strongest,
                        "because you like "));
            }
        }
        // New items have no interactions, so no list above holds them: their genres alone place them.
        for (BanditArm newItem : signals.newItems()) {
            catalogue.item(newItem.itemId()).ifPresent(item -> addByGenre(candidates, item, profile, strongest,
                    "new, and you like "));
        }
    }

    private static void addByGenre(Map<String, Candidate> candidates, CatalogueItem item, Map<String, Double> profile,
                                   double strongest, String reason) {
        double match = 0;
        String bestGenre = null;
        double bestWeight = 0;
        for (String genre : item.genres()) {
            double weight = profile.getOrDefault(genre, 0.0);
            match += weight;
            if (weight > bestWeight) {
                bestWeight = weight;
                bestGenre = genre;
            }
        }
        if (bestGenre != null) {
            candidates.computeIfAbsent(item.itemId(), Candidate::new).add(Source.CONTENT,
                    match / (strongest * item.genres().size()), reason + bestGenre);
        }
    }

    /** Stated genres count most (first most), then the genres of recent interactions, weighted by strength. */
    Map<String, Double> genreProfile(UserSignals signals) {
        Map<String, Double> profile = new LinkedHashMap<>();
        List<String> stated = signals.statedGenres();
        for (int i = 0; i < stated.size(); i++) {
            profile.merge(stated.get(i), 2.0 - i / (double) Math.max(1, stated.size()), Double::sum);
        }
        double fade = 1;
        for (RankedItems.Entry interaction : signals.recent().entries()) {
            double weight = fade * interaction.value();
            catalogue.item(interaction.itemId()).ifPresent(item -> {
                for (String genre : item.genres()) {
                    profile.merge(genre, weight / item.genres().size(), Double::sum);
                }
            });
            fade *= SourceScoring.RECENT_DECAY;
        }
        return profile;
    }

    /** One candidate's scaled score from each source that proposed it, and each source's explanation. */
    private static final class Candidate {
        private final String itemId;
        private final Map<Source, Double> scores = new EnumMap<>(Source.class);
        private final Map<Source, String> reasons = new EnumMap<>(Source.class);

        Candidate(String itemId) {
            this.itemId = itemId;
        }

        void add(Source source, double score, String reason) {
            if (score > scores.getOrDefault(source, 0.0)) {
                scores.put(source, score);
                reasons.put(source, reason);
            }
        }

        /** The blended score; explained by the source of its largest term. */
        Diversifier.ScoredItem blend(BlendWeights weights) {
            Source top = null;
            double topTerm = -1;
            for (Map.Entry<Source, Double> score : scores.entrySet()) {
                double term = weights.of(score.getKey()) * score.getValue();
                if (term > topTerm) {
                    topTerm = term;
                    top = score.getKey();
                }
            }
            return new Diversifier.ScoredItem(itemId, weights.blend(scores), top, reasons.get(top));
        }
    }
}
