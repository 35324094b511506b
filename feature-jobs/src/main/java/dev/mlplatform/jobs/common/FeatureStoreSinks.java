package dev.mlplatform.jobs.common;

import dev.mlplatform.featurestore.FeatureStoreConnection;
import dev.mlplatform.featurestore.flink.FeatureStoreSink;
import dev.mlplatform.featurestore.registry.FeatureView;
import java.time.Duration;

/** The feature store sinks of the jobs. */
public final class FeatureStoreSinks {

    /**
     * Bound on a sink's batch round trip to Redis. A busy Redis must slow the job down (backpressure), not
     * fail it: a failure restarts the job from its last checkpoint and does the work since then again.
     */
    public static final Duration SINK_REDIS_TIMEOUT = Duration.ofSeconds(10);

    private FeatureStoreSinks() {
    }

    /** A sink of {@code view}'s rows to both stores, waiting on Redis at least {@link #SINK_REDIS_TIMEOUT}. */
    public static FeatureStoreSink of(FeatureView view, FeatureStoreConnection connection) {
        FeatureStoreConnection writes = connection.redisTimeout().compareTo(SINK_REDIS_TIMEOUT) >= 0
                ? connection : connection.withRedisTimeout(SINK_REDIS_TIMEOUT);
        return new FeatureStoreSink(view, writes);
    }
}
