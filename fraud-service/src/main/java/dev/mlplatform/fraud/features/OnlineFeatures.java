package dev.mlplatform.fraud.features;

import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.online.OnlineStore;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the fraud feature views from the online store, every view and entity of a batch in one
 * pipelined round trip, behind a time limit and a circuit breaker: when Redis is slow or down the
 * answer is "unavailable" within the time limit, never an exception, and the caller decides on the
 * transaction alone. The store is connected lazily, so the service starts and degrades while Redis
 * is down, and recovers when it returns.
 */
public final class OnlineFeatures implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OnlineFeatures.class);

    /** The rows found, by view and entity id; {@code available} is false when the store could not answer. */
    public record Lookup(Map<FeatureView, Map<String, FeatureRow>> rows, boolean available) {

        public static final Lookup UNAVAILABLE = new Lookup(Map.of(), false);

        /** The entity's row of {@code view}, or null when it has none (or the view was not read). */
        public FeatureRow row(FeatureView view, String entityId) {
            return entityId == null ? null : rows.getOrDefault(view, Map.of()).get(entityId);
        }
    }

    private final Supplier<OnlineStore> connector;
    private final CircuitBreaker breaker;
    private final TimeLimiter limiter;
    private final ExecutorService executor;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Timer freshness;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Object connecting = new Object();
    private volatile OnlineStore store;

    /**
     * @param connector opens the store (called again after a failed attempt)
     * @param executor  runs reads so that the time limit can abandon them; bounded, so that a
     *                  hanging Redis cannot pile up threads (a rejected read counts as a failure)
     */
    public OnlineFeatures(Supplier<OnlineStore> connector, CircuitBreaker breaker, TimeLimiter limiter,
                          ExecutorService executor, MeterRegistry meters, Clock clock) {
        this.connector = connector;
        this.breaker = breaker;
        this.limiter = limiter;
        this.executor = executor;
        this.clock = clock;
        this.meters = meters;
        this.freshness = Timer.builder("fraud.features.freshness")
                .description("Age of the card's velocity row when read: now minus the row's event time")
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofHours(1))
                .register(meters);
        // Every series from the start, at zero: a rate over a counter that appears late misses its first increments.
        for (FeatureView view : FraudFeatures.SERVED_VIEWS) {
            for (String result : List.of("found", "absent", "unavailable")) {
                lookups(view, result);
            }
        }
    }

    private Counter lookups(FeatureView view, String result) {
        return counters.computeIfAbsent(view.name() + '/' + result, key -> Counter.builder("fraud.features.lookups")
                .description("Online feature lookups by view and result: row found, no row (new or idle entity), "
                        + "store unavailable")
                .tag("view", view.name())
                .tag("result", result)
                .register(meters));
    }

    /** The entities' rows of each view, or {@link Lookup#UNAVAILABLE} within the time limit when the store fails. */
    public Lookup read(Map<FeatureView, ? extends Collection<String>> entityIdsByView) {
        if (entityIdsByView.values().stream().allMatch(Collection::isEmpty)) {
            return new Lookup(Map.of(), true);
        }
        Map<FeatureView, List<String>> ids = new LinkedHashMap<>();
        entityIdsByView.forEach((view, entityIds) -> ids.put(view, List.copyOf(entityIds)));
        Callable<Map<FeatureView, Map<String, FeatureRow>>> limited = TimeLimiter.decorateFutureSupplier(limiter,
                () -> CompletableFuture.supplyAsync(() -> store().readViews(ids), executor));
        Map<FeatureView, Map<String, FeatureRow>> rows;
        try {
            rows = breaker.executeCallable(limited);
        } catch (Exception e) {
            ids.forEach((view, entityIds) -> lookups(view, "unavailable").increment(entityIds.size()));
            log.debug("online features unavailable for {}: {}", ids.keySet(), e.toString());
            return Lookup.UNAVAILABLE;
        }
        Instant now = clock.instant();
        for (FeatureRow row : rows.getOrDefault(FraudFeatures.CARD_VELOCITY, Map.of()).values()) {
            Duration age = Duration.between(row.eventTime(), now);
            freshness.record(age.isNegative() ? Duration.ZERO : age);
        }
        ids.forEach((view, entityIds) -> {
            int found = rows.getOrDefault(view, Map.of()).size();
            lookups(view, "found").increment(found);
            lookups(view, "absent").increment(entityIds.size() - found);
        });
        return new Lookup(rows, true);
    }

    /**
     * Opens the store now if it is not open and reads every served view once, so that the first request pays
     * neither for the connection nor for loading the read path's code: cold, that read took longer than the
     * 40 ms limit, and the platform's first decision came out degraded.
     */
    public boolean connect() {
        try {
            Map<FeatureView, List<String>> warmUp = new LinkedHashMap<>();
            FraudFeatures.SERVED_VIEWS.forEach(view -> warmUp.put(view, List.of("warm-up")));
            store().readViews(warmUp);
            return true;
        } catch (RuntimeException e) {
            log.warn("online feature store not reachable yet ({}); decisions are degraded until it is", e.toString());
            return false;
        }
    }

    public CircuitBreaker.State circuitState() {
        return breaker.getState();
    }

    private OnlineStore store() {
        OnlineStore open = store;
        if (open != null) {
            return open;
        }
        synchronized (connecting) {
            if (store == null) {
                store = connector.get();
                log.info("online feature store connected");
            }
            return store;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        OnlineStore open = store;
        if (open != null) {
            open.close();
        }
    }
}
