package dev.mlplatform.featurestore.online;

import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The latest feature values per entity, for serving. Writes never move a value back in event time. */
public interface OnlineStore extends AutoCloseable {

    /** Writes each row unless the store already holds a value with a later event time for that entity. */
    void writeBatch(FeatureView view, List<FeatureRow> rows);

    /** The freshest row of each entity that has one within the view's TTL, in one round trip. */
    Map<String, FeatureRow> readBatch(FeatureView view, Collection<String> entityIds);

    /**
     * The freshest rows of several views at once, by view and then by entity id. This default reads view
     * by view; a store that can (Redis) answers in one round trip.
     */
    default Map<FeatureView, Map<String, FeatureRow>> readViews(Map<FeatureView, ? extends Collection<String>> entityIdsByView) {
        Map<FeatureView, Map<String, FeatureRow>> rows = new LinkedHashMap<>();
        entityIdsByView.forEach((view, ids) -> rows.put(view, readBatch(view, ids)));
        return rows;
    }

    /** Removes every value of the entity in this view. */
    void delete(FeatureView view, String entityId);

    @Override
    void close();
}
