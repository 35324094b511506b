package dev.mlplatform.featurestore.training;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One labelled example as training code knows it: which entity, when it happened, its label, and any
 * columns of the event itself (amount, channel, ...) that pass through to the training row untouched.
 */
public record LabelledEvent(String entityId, Instant timestamp, double label, Map<String, Object> extras) {

    public LabelledEvent {
        Objects.requireNonNull(entityId, "entityId");
        Objects.requireNonNull(timestamp, "timestamp");
        // Insertion order kept: it becomes the order of the extra columns.
        extras = extras == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    public LabelledEvent(String entityId, Instant timestamp, double label) {
        this(entityId, timestamp, label, Map.of());
    }
}
