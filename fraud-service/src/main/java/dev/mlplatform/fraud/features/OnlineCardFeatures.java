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
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads cards' velocity rows ({@link FraudFeatures#CARD_VELOCITY}) from the online store, many cards
 * in one pipelined round trip, behind a time limit and a circuit breaker: when Redis is slow or
 * down the answer is "unavailable" within the time limit, never an exception, and the caller
 * decides on the transaction alone. The store is connected lazily, so the service starts and
 * degrades while Redis is down, and recovers when it returns.
 */
public final class OnlineCardFeatures implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OnlineCardFeatures.class);
    private static final FeatureView VIEW = FraudFeatures.CARD_VELOCITY;

    /** The rows found, by card token; {@code available} is false when the store could not answer. */
    public record Lookup(Map<String, FeatureRow> rows, boolean available) {

        public static final Lookup UNAVAILABLE = new Lookup(Map.of(), false);

        public FeatureRow row(String cardToken) {
            return rows.get(cardToken);
        }
    }

    private final Supplier<OnlineStore> connector;
    private final CircuitBreaker breaker;
    private final TimeLimiter limiter;
    private final ExecutorService executor;
    private final Clock clock;
    private final Timer freshness;
    private final Counter found;
    private final Counter absent;
    private final Counter unavailable;
    private final Object connecting = new Object();
    private volatile OnlineStore store;

    /**
     * @param connector opens the store (called again after a failed attempt)
     * @param executor  runs reads so that the time limit can abandon them; bounded, so that a
     *                  hanging Redis cannot pile up threads (a rejected read counts as a failure)
     */
    public OnlineCardFeatures(Supplier<OnlineStore> connector, CircuitBreaker breaker, TimeLimiter limiter,
                              ExecutorService executor, MeterRegistry meters, Clock clock) {
        this.connector = connector;
        this.breaker = breaker;
        this.limiter = limiter;
        this.executor = executor;
        this.clock = clock;
        this.freshness = Timer.builder("fraud.features.freshness")
                .description("Age of the card's online feature row when read: now minus the row's event time")
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofHours(1))
                .register(meters);
        this.found = lookups(meters, "found");
        this.absent = lookups(meters, "absent");
        this.unavailable = lookups(meters, "unavailable");
    }

    private static Counter lookups(MeterRegistry meters, String result) {
        return Counter.builder("fraud.features.lookups")
                .description("Card feature lookups by result: row found, no row (new or idle card), store unavailable")
                .tag("result", result)
                .register(meters);
    }

    /** The cards' rows, or {@link Lookup#UNAVAILABLE} within the time limit when the store fails. */
    public Lookup read(Collection<String> cardTokens) {
        if (cardTokens.isEmpty()) {
            return new Lookup(Map.of(), true);
        }
        List<String> tokens = List.copyOf(cardTokens);
        Callable<Map<String, FeatureRow>> limited = TimeLimiter.decorateFutureSupplier(limiter,
                () -> CompletableFuture.supplyAsync(() -> store().readBatch(VIEW, tokens), executor));
        Map<String, FeatureRow> rows;
        try {
            rows = breaker.executeCallable(limited);
        } catch (Exception e) {
            unavailable.increment(tokens.size());
            log.debug("online features unavailable for {} cards: {}", tokens.size(), e.toString());
            return Lookup.UNAVAILABLE;
        }
        Instant now = clock.instant();
        for (FeatureRow row : rows.values()) {
            freshness.record(Duration.between(row.eventTime(), now).isNegative()
                    ? Duration.ZERO : Duration.between(row.eventTime(), now));
        }
        found.increment(rows.size());
        absent.increment(tokens.size() - rows.size());
        return new Lookup(rows, true);
    }

    /** Opens the store now if it is not open, so that the first request does not pay for it. */
    public boolean connect() {
        try {
            store();
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
