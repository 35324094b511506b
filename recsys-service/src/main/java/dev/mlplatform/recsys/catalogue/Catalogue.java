package dev.mlplatform.recsys.catalogue;

import dev.mlplatform.core.events.CatalogueItem;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The items that can be recommended, in memory: an immutable snapshot replaced whole when the store changes, so
 * that a request reads one consistent catalogue without locks. 100,000 items with metadata take tens of MB.
 */
public final class Catalogue {

    /** How many of the newest items {@link #newest} keeps ready. */
    static final int NEWEST_KEPT = 500;

    private volatile Snapshot snapshot = new Snapshot(Map.of(), List.of());

    private record Snapshot(Map<String, CatalogueItem> items, List<CatalogueItem> newestFirst) {
    }

    /** Replaces the whole catalogue. */
    public void replace(Collection<CatalogueItem> items) {
        Map<String, CatalogueItem> byId = new HashMap<>(items.size() * 2);
        for (CatalogueItem item : items) {
            byId.put(item.itemId(), item);
        }
        snapshot = new Snapshot(Map.copyOf(byId), newest(byId.values()));
    }

    /** Adds or replaces some items (a refresh of what changed). */
    public void upsert(Collection<CatalogueItem> changed) {
        if (changed.isEmpty()) {
            return;
        }
        Map<String, CatalogueItem> byId = new HashMap<>(snapshot.items());
        for (CatalogueItem item : changed) {
            byId.put(item.itemId(), item);
        }
        snapshot = new Snapshot(Map.copyOf(byId), newest(byId.values()));
    }

    public Optional<CatalogueItem> item(String itemId) {
        return Optional.ofNullable(snapshot.items().get(itemId));
    }

    public boolean contains(String itemId) {
        return snapshot.items().containsKey(itemId);
    }

    public int size() {
        return snapshot.items().size();
    }

    /** Items published within {@code age} before {@code now}, newest first (at most {@value #NEWEST_KEPT}). */
    public List<CatalogueItem> newest(Instant now, Duration age) {
        Instant since = now.minus(age);
        return snapshot.newestFirst().stream()
                .takeWhile(item -> item.publishedAt().isAfter(since))
                .filter(item -> !item.publishedAt().isAfter(now))
                .toList();
    }

    /**
     * How alike two items' genres are: the Jaccard index of their genre sets (0 when either is unknown). The
     * diversifier's similarity: cheap, and what a viewer notices as "more of the same".
     */
    public double genreSimilarity(String a, String b) {
        CatalogueItem first = snapshot.items().get(a);
        CatalogueItem second = snapshot.items().get(b);
        if (first == null || second == null) {
            return 0;
        }
        long shared = first.genres().stream().filter(second.genres()::contains).count();
        long union = first.genres().size() + second.genres().size() - shared;
        return union == 0 ? 0 : (double) shared / union;
    }

    private static List<CatalogueItem> newest(Collection<CatalogueItem> items) {
        return items.stream()
                .sorted(Comparator.comparing(CatalogueItem::publishedAt).reversed()
                        .thenComparing(CatalogueItem::itemId))
                .limit(NEWEST_KEPT)
                .toList();
    }
}
