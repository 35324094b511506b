package dev.mlplatform.featurestore.registry;

import dev.mlplatform.core.events.EventJson;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks feature values against their view and converts them to and from the forms the stores keep
 * (Redis hash fields as strings, the offline log as JSON), so that every store gives back the same
 * Java types: {@code Long}, {@code Double}, {@code String}, {@code Boolean}.
 */
public final class FeatureValues {

    private FeatureValues() {
    }

    /**
     * The row's values, checked against the view and widened to the stored types ({@code Integer} to
     * {@code Long}, {@code Float} to {@code Double}). A feature the view does not declare or a value
     * of the wrong type is an error: a typo in a job must not silently produce an absent feature.
     */
    public static Map<String, Object> checked(FeatureView view, FeatureRow row) {
        if (row.entityId() == null || row.entityId().isEmpty()) {
            throw new IllegalArgumentException("feature row of view " + view.id() + " has no entity id");
        }
        if (row.eventTime() == null) {
            throw new IllegalArgumentException("feature row of view " + view.id() + " for entity "
                    + row.entityId() + " has no event time");
        }
        Map<String, Object> checked = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : row.values().entrySet()) {
            Feature feature = feature(view, entry.getKey());
            if (feature == null) {
                throw new IllegalArgumentException("view " + view.id() + " has no feature '" + entry.getKey()
                        + "' (it has " + view.featureNames() + ")");
            }
            checked.put(feature.name(), widened(view, feature, entry.getValue()));
        }
        return checked;
    }

    /** The instant as the stores keep it: Postgres holds microseconds, so both stores truncate to them. */
    public static Instant storedEventTime(Instant eventTime) {
        return eventTime.truncatedTo(ChronoUnit.MICROS);
    }

    /** Microseconds since the epoch, exact in a Lua number (a double) until the year 2255. */
    public static long epochMicros(Instant eventTime) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, eventTime);
    }

    public static Instant fromEpochMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    /** A checked value as text; {@link Double#toString} round-trips every double exactly. */
    public static String encode(Object value) {
        return value.toString();
    }

    /** The typed value of text written by {@link #encode}. */
    public static Object decode(ValueType type, String text) {
        return switch (type) {
            case LONG -> Long.parseLong(text);
            case DOUBLE -> Double.parseDouble(text);
            case STRING -> text;
            case BOOLEAN -> Boolean.parseBoolean(text);
        };
    }

    /** Checked values as a JSON object; non-finite doubles as the strings "NaN", "Infinity", "-Infinity". */
    public static String toJson(Map<String, Object> checkedValues) {
        ObjectNode node = EventJson.MAPPER.createObjectNode();
        checkedValues.forEach((name, value) -> {
            if (value instanceof Long l) {
                node.put(name, l);
            } else if (value instanceof Double d) {
                if (Double.isFinite(d)) {
                    node.put(name, d);
                } else {
                    node.put(name, d.toString());
                }
            } else if (value instanceof Boolean b) {
                node.put(name, b);
            } else {
                node.put(name, (String) value);
            }
        });
        return EventJson.MAPPER.writeValueAsString(node);
    }

    /** The typed values of a JSON object written by {@link #toJson}, for the features of {@code view}. */
    public static Map<String, Object> fromJson(FeatureView view, String json) {
        JsonNode node = EventJson.MAPPER.readTree(json);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Feature feature : view.features()) {
            JsonNode value = node.get(feature.name());
            if (value == null || value.isNull()) {
                continue;
            }
            values.put(feature.name(), switch (feature.type()) {
                case LONG -> value.longValue();
                case DOUBLE -> value.isString() ? Double.parseDouble(value.stringValue()) : value.doubleValue();
                case STRING -> value.stringValue();
                case BOOLEAN -> value.booleanValue();
            });
        }
        return values;
    }

    private static Feature feature(FeatureView view, String name) {
        for (Feature feature : view.features()) {
            if (feature.name().equals(name)) {
                return feature;
            }
        }
        return null;
    }

    private static Object widened(FeatureView view, Feature feature, Object value) {
        Object widened = switch (feature.type()) {
            case LONG -> value instanceof Long || value instanceof Integer || value instanceof Short
                    || value instanceof Byte ? (Object) ((Number) value).longValue() : null;
            case DOUBLE -> value instanceof Number n ? (Object) n.doubleValue() : null;
            case STRING -> value instanceof String ? value : null;
            case BOOLEAN -> value instanceof Boolean ? value : null;
        };
        if (widened == null) {
            throw new IllegalArgumentException("feature " + view.id() + "." + feature.name() + " is "
                    + feature.type() + " but got " + value.getClass().getSimpleName() + " " + value);
        }
        return widened;
    }
}
