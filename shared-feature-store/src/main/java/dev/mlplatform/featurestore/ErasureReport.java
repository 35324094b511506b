package dev.mlplatform.featurestore;

import java.util.List;
import java.util.Map;

/**
 * What erasing one entity removed, for the data subject's request record.
 *
 * @param viewsSearched      every registered view of the entity (all versions), as {@code name:vN}
 * @param onlineViewsRemoved the views whose online value for the entity was deleted
 * @param offlineRowsRemoved per view, the number of feature log rows deleted (views with none omitted)
 */
public record ErasureReport(String entityName, String entityId, List<String> viewsSearched,
                            List<String> onlineViewsRemoved, Map<String, Long> offlineRowsRemoved) {

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
