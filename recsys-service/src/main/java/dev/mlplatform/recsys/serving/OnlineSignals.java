package dev.mlplatform.recsys.serving;

import dev.mlplatform.core.events.CatalogueItem;
import dev.mlplatform.featurestore.definitions.RankedItems;
import dev.mlplatform.featurestore.definitions.RecsysFeatures;
import dev.mlplatform.featurestore.online.OnlineStore;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.recsys.catalogue.Catalogue;
import dev.mlplatform.recsys.feedback.NewItemBandit;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a user's signals from the online store in two round trips: the user's own views with the overall
 * trending list, then the trending lists of the user's region and genres, which the first read names. When the
 * store does not answer, the user is served from memory: the last overall trending list seen, marked degraded.
 */
public final class OnlineSignals {

    /** Genres of interest whose trending lists are read. */
    static final int GENRES_READ = 3;
    private static final Logger log = LoggerFactory.getLogger(OnlineSignals.class);

    private final OnlineStore store;
    private final Catalogue catalogue;
    private final NewItemBandit bandit;
    private final Clock clock;
    private final Duration newItemAge;
    private final int newItemsExplored;
    private final AtomicReference<RankedItems> lastTrending = new AtomicReference<>(new RankedItems(List.of()));

    /**
     * @param newItemAge       how long after publication an item counts as new (and may be explored)
     * @param newItemsExplored how many of the newest items the bandit considers
     */
    public OnlineSignals(OnlineStore store, Catalogue catalogue, NewItemBandit bandit, Clock clock,
                         Duration newItemAge, int newItemsExplored) {
        this.store = store;
        this.catalogue = catalogue;
        this.bandit = bandit;
        this.clock = clock;
        this.newItemAge = newItemAge;
        this.newItemsExplored = newItemsExplored;
    }

    /** @param requestRegion the region the client says the user is in, or null */
    public UserSignals read(String userId, String requestRegion) {
        try {
            return readFromStore(userId, requestRegion);
        } catch (RuntimeException e) {
            log.warn("online store unavailable, serving {} from memory: {}", userId, e.toString());
            return new UserSignals(userId, empty(), null, empty(), requestRegion, List.of(), lastTrending.get(), null,
                    Map.of(), List.of(), true);
        }
    }

    private UserSignals readFromStore(String userId, String requestRegion) {
        Map<FeatureView, List<String>> first = new LinkedHashMap<>();
        first.put(RecsysFeatures.USER_CANDIDATES, List.of(userId));
        first.put(RecsysFeatures.USER_RECENT, List.of(userId));
        first.put(RecsysFeatures.USER_PREFERENCES, List.of(userId));
        first.put(RecsysFeatures.TRENDING, List.of(RecsysFeatures.ALL));
        Map<FeatureView, Map<String, FeatureRow>> rows = store.readViews(first);
        FeatureRow candidates = rows.get(RecsysFeatures.USER_CANDIDATES).get(userId);
        FeatureRow recentRow = rows.get(RecsysFeatures.USER_RECENT).get(userId);
        FeatureRow preferences = rows.get(RecsysFeatures.USER_PREFERENCES).get(userId);
        RankedItems overall = list(rows.get(RecsysFeatures.TRENDING).get(RecsysFeatures.ALL), "top_items");
        if (!overall.entries().isEmpty()) {
            lastTrending.set(overall);
        }

        RankedItems recent = list(recentRow, "recent_items");
        List<String> stated = preferences == null ? List.of() : split(text(preferences, "genres"));
        String region = firstPresent(requestRegion, text(recentRow, "last_region"), text(preferences, "region"));
        Set<String> genres = new LinkedHashSet<>(stated);
        genres.addAll(recentGenres(recent));
        List<String> genresRead = genres.stream().limit(GENRES_READ).toList();

        List<String> segments = new ArrayList<>();
        if (region != null) {
            segments.add(RecsysFeatures.regionSegment(region));
        }
        genresRead.forEach(genre -> segments.add(RecsysFeatures.categorySegment(genre)));
        Map<String, FeatureRow> trendingRows = segments.isEmpty() ? Map.of()
                : store.readViews(Map.of(RecsysFeatures.TRENDING, segments)).get(RecsysFeatures.TRENDING);
        RankedItems regional = region == null ? empty()
                : list(trendingRows.get(RecsysFeatures.regionSegment(region)), "top_items");
        boolean regionTrends = !regional.entries().isEmpty();
        Map<String, RankedItems> genreTrending = new LinkedHashMap<>();
        for (String genre : genresRead) {
            genreTrending.put(genre, list(trendingRows.get(RecsysFeatures.categorySegment(genre)), "top_items"));
        }
        List<String> newest = catalogue.newest(clock.instant(), newItemAge).stream()
                .limit(newItemsExplored).map(CatalogueItem::itemId).toList();
        // No new items, no bandit round trip.
        List<BanditArm> newItems = newest.isEmpty() ? List.of() : bandit.arms(newest);
        return new UserSignals(userId, list(candidates, "items"), text(candidates, "model"), recent, region, stated,
                regionTrends ? regional : overall, regionTrends ? region : null, genreTrending, newItems, false);
    }

    /** The genres of the latest interactions, most frequent first. */
    private List<String> recentGenres(RankedItems recent) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (RankedItems.Entry entry : recent.entries()) {
            catalogue.item(entry.itemId()).ifPresent(item -> item.genres()
                    .forEach(genre -> counts.merge(genre, 1, Integer::sum)));
        }
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(Map.Entry::getKey)
                .toList();
    }

    private static RankedItems list(FeatureRow row, String feature) {
        return row == null ? empty() : RankedItems.parse(text(row, feature));
    }

    private static String text(FeatureRow row, String feature) {
        if (row == null) {
            return null;
        }
        Object value = row.values().get(feature);
        return value == null || value.toString().isEmpty() ? null : value.toString();
    }

    private static List<String> split(String commaSeparated) {
        return commaSeparated == null ? List.of() : Arrays.stream(commaSeparated.split(","))
                .filter(genre -> !genre.isBlank()).toList();
    }

    private static String firstPresent(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static RankedItems empty() {
        return new RankedItems(List.of());
    }
}
