package dev.mlplatform.featurestore.online;

import dev.mlplatform.featurestore.registry.FeatureView;

/**
 * Key layout of the online store: {@code fs:{<entityId>}:<view>:v<version>}, one hash per entity and
 * view. The braces are a Redis Cluster hash tag: every view of one entity lands in the same slot, so
 * erasing or reading an entity touches one shard, and scaling out is configuration.
 */
final class RedisKeys {

    /** The hash field holding the event time in microseconds since the epoch; features are lower-case. */
    static final String EVENT_TIME_FIELD = "@event_time_us";

    private RedisKeys() {
    }

    static String key(FeatureView view, String entityId) {
        if (entityId == null || entityId.isEmpty()) {
            throw new IllegalArgumentException("entity id of view " + view.id() + " must not be empty");
        }
        // A brace inside the id would end or restart the hash tag and split an entity across slots.
        if (entityId.indexOf('{') >= 0 || entityId.indexOf('}') >= 0) {
            throw new IllegalArgumentException("entity id must not contain '{' or '}': " + entityId);
        }
        return "fs:{" + entityId + "}:" + view.name() + ":v" + view.version();
    }
}
