package dev.mlplatform.recsys.catalogue;

import dev.mlplatform.core.events.CatalogueItem;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The items that can be recommended, in memory (100,000 items with metadata take tens of MB). Reads take no lock:
 * items are in a concurrent map, and the newest items, which every request asks for, in an immutable list
 * replaced whenever an upsert changes it. An upsert costs O(log n) plus that list's copy, so loading a large
 * catalogue item by item stays linear.
 */
public final class Catalogue {

    /** How many of the newest items {@link #newest} keeps ready. */
    static final int NEWEST_KEPT = 500;
    private static final Comparator<CatalogueItem> NEWEST_FIRST = Comparator.comparing(CatalogueItem::publishedAt)
            .reversed().thenComparing(CatalogueItem::itemId);

    private final Map<String, CatalogueItem> items = new ConcurrentHashMap<>();
    /** Guarded by {@code this}; {@link #newestFirst} is its published copy. */
    private final TreeSet<CatalogueItem> newest = new TreeSet<>(NEWEST_FIRST);
    private volatile List<CatalogueItem> newestFirst = List.of();

    /** Replaces the whole catalogue. */
    public synchronized void replace(Collection<CatalogueItem> all) {
        items.clear();
        all.forEach(item -> items.put(item.itemId(), item));
        rebuildNewest();
    }

    /** Adds or replaces some items (a refresh of what changed, one item put through the API). */
    public synchronized void upsert(Collection<CatalogueItem> changed) {
        boolean rebuild = false;
        for (CatalogueItem item : changed) {
            CatalogueItem previous = items.put(item.itemId(), item);
            // An item of the kept newest that moved back in time may now belong behind an item no longer kept.
            if (previous != null && newest.remove(previous) && newest.size() == NEWEST_KEPT - 1
                    && NEWEST_FIRST.compare(item, newest.last()) > 0) {
                rebuild = true;
            }
            newest.add(item);
            if (newest.size() > NEWEST_KEPT) {
                newest.pollLast();
            }
        }
        if (rebuild) {
            rebuildNewest();
        } else if (!changed.isEmpty()) {
            newestFirst = List.copyOf(newest);
        }
    }

    public Optional<CatalogueItem> item(String itemId) {
        return Optional.ofNullable(items.get(itemId));
    }

    public boolean contains(String itemId) {
        return items.containsKey(itemId);
    }

    public int size() {
        return items.size();
    }

    /** Items published within {@code age} before {@code now}, newest first (at most {@value #NEWEST_KEPT}). */
    public List<CatalogueItem> newest(Instant now, Duration age) {
        Instant since = now.minus(age);
        return newestFirst.stream()
                .filter(item -> !item.publishedAt().isAfter(now))
                .takeWhile(item -> item.publishedAt().isAfter(since))
                .toList();
    }

    /**
     * How alike two items' genres are: the Jaccard index of their genre sets (0 when either is unknown). The
     * diversifier's similarity: cheap, and what a viewer notices as "more of the same".
     */
    public double genreSimilarity(String a, String b) {
        CatalogueItem first = items.get(a);
        CatalogueItem second = items.get(b);
        if (first == null || second == null) {
            return 0;
        }
        long shared = first.genres().stream().filter(second.genres()::contains).count();
        long union = first.genres().size() + second.genres().size() - shared;
        return union == 0 ? 0 : (double) shared / union;
    }

    private void rebuildNewest() {
        newest.clear();
        for (CatalogueItem item : items.values()) {
            newest.add(item);
            if (newest.size() > NEWEST_KEPT) {
                newest.pollLast();
            }
        }
        newestFirst = List.copyOf(newest);
    }
}
