package dev.mlplatform.featurestore;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What erasing one entity removed, for the data subject's request record.
 *
 * @param viewsSearched      every registered view of the entity (all versions), as {@code name:vN}
 * @param onlineViewsRemoved the views whose online value for the entity was deleted
 * @param offlineRowsRemoved per view, the number of feature log rows deleted (views with none omitted)
 * @param requestedAt        when the request was recorded in the {@link ErasureLog}: the data lake's files that
 *                           hold the entity are rewritten by the next batch over the lake
 */
public record ErasureReport(String entityName, String entityId, List<String> viewsSearched,
                            List<String> onlineViewsRemoved, Map<String, Long> offlineRowsRemoved,
                            Instant requestedAt) {

    public ErasureReport {
        viewsSearched = List.copyOf(viewsSearched);
        onlineViewsRemoved = List.copyOf(onlineViewsRemoved);
        offlineRowsRemoved = Map.copyOf(offlineRowsRemoved);
    }

    public long offlineRowsRemovedTotal() {
        return offlineRowsRemoved.values().stream().mapToLong(Long::longValue).sum();
    }

    public boolean removedAnything() {
        return !onlineViewsRemoved.isEmpty() || offlineRowsRemovedTotal() > 0;
    }
}
