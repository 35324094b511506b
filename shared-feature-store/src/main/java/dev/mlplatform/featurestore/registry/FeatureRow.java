package dev.mlplatform.featurestore.registry;

import java.time.Instant;
import java.util.Map;

/** The values of one view's features for one entity, as known at {@code eventTime}. */
public record FeatureRow(String entityId, Instant eventTime, Map<String, Object> values) {

    public FeatureRow {
        values = Map.copyOf(values);
    }

    public double getDouble(String feature, double absent) {
        Object value = values.get(feature);
        return value instanceof Number n ? n.doubleValue() : absent;
    }
}
