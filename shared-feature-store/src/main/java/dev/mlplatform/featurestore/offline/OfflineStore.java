package dev.mlplatform.featurestore.offline;

import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import java.util.List;

/** The append-only log of every feature value ever computed, keyed by entity and event time. */
public interface OfflineStore {

    /** Appends rows; appending a row already logged (same view, entity, event time) changes nothing. */
    void append(FeatureView view, List<FeatureRow> rows);

    /** Removes every logged value of the entity in this view; returns the number of rows removed. */
    long delete(FeatureView view, String entityId);

    /** Every logged row of the entity in this view, oldest event time first. */
    List<FeatureRow> history(FeatureView view, String entityId);
}
