package dev.mlplatform.fraud.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.online.OnlineStore;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OnlineFeaturesTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    /** An online store in memory; {@code failing} makes every read throw, {@code hang} makes it block. */
    private static final class MemoryStore implements OnlineStore {
        final Map<String, FeatureRow> rows = new HashMap<>();
        final AtomicInteger reads = new AtomicInteger();
        volatile boolean failing;
        final CountDownLatch hang = new CountDownLatch(1);
        volatile boolean hanging;

        @Override
        public void writeBatch(FeatureView view, List<FeatureRow> batch) {
            batch.forEach(row -> rows.put(row.entityId(), row));
        }

        @Override
        public Map<String, FeatureRow> readBatch(FeatureView view, Collection<String> ids) {
            reads.incrementAndGet();
            if (failing) {
                throw new IllegalStateException("connection refused");
            }
            if (hanging) {
                try {
                    hang.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Map<String, FeatureRow> found = new HashMap<>();
            ids.forEach(id -> {
                if (rows.containsKey(id)) {
                    found.put(id, rows.get(id));
                }
            });
            return found;
        }

        @Override
        public void delete(FeatureView view, String entityId) {
            rows.remove(entityId);
        }

        @Override
        public void close() {
            hang.countDown();
        }
    }

    private static Map<FeatureView, List<String>> cards(String... tokens) {
        return Map.of(FraudFeatures.CARD_VELOCITY, List.of(tokens));
    }

    private final MemoryStore store = new MemoryStore();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CircuitBreaker breaker = CircuitBreaker.of("test", CircuitBreakerConfig.custom()
            .slidingWindowSize(10).minimumNumberOfCalls(5).failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofMinutes(1)).build());
    private final OnlineFeatures features = new OnlineFeatures(() -> store, breaker,
            TimeLimiter.of(Duration.ofMillis(200)), Executors.newFixedThreadPool(2), meters,
            Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterEach
    void close() {
        features.close();
    }

    @Test
    void readsTheRowsOfManyCardsAtOnceAndRecordsTheirFreshness() {
        store.writeBatch(FraudFeatures.CARD_VELOCITY, List.of(
                new FeatureRow("ct_a", NOW.minusSeconds(30), Map.of("tx_count_1m", 2L))));

        OnlineFeatures.Lookup lookup = features.read(cards("ct_a", "ct_b"));

        assertThat(lookup.available()).isTrue();
        assertThat(lookup.rows().get(FraudFeatures.CARD_VELOCITY)).containsOnlyKeys("ct_a");
        assertThat(store.reads).hasValue(1);
        assertThat(meters.get("fraud.features.freshness").timer().totalTime(TimeUnit.SECONDS)).isEqualTo(30.0);
        assertThat(meters.get("fraud.features.lookups").tags("view", "card_velocity", "result", "absent").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void aFailingStoreMakesTheLookupUnavailableInsteadOfFailing() {
        store.failing = true;

        OnlineFeatures.Lookup lookup = features.read(cards("ct_a"));

        assertThat(lookup.available()).isFalse();
        assertThat(lookup.rows()).isEmpty();
        assertThat(meters.get("fraud.features.lookups").tags("view", "card_velocity", "result", "unavailable").counter()
                .count()).isEqualTo(1.0);
    }

    @Test
    void aHangingStoreIsAbandonedAtTheTimeLimit() {
        store.hanging = true;

        OnlineFeatures.Lookup lookup = features.read(cards("ct_a"));

        assertThat(lookup.available()).isFalse();
    }

    @Test
    void repeatedFailuresOpenTheCircuitAndTheStoreIsNoLongerCalled() {
        store.failing = true;
        for (int i = 0; i < 5; i++) {
            features.read(cards("ct_a"));
        }
        int readsWhenOpened = store.reads.get();

        for (int i = 0; i < 20; i++) {
            assertThat(features.read(cards("ct_a")).available()).isFalse();
        }

        assertThat(features.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(store.reads.get()).isEqualTo(readsWhenOpened);
    }

    @Test
    void connectingReadsEveryServedViewOnceSoThatTheFirstRequestFindsTheReadPathWarm() {
        OnlineFeatures warmed = new OnlineFeatures(() -> store, CircuitBreaker.ofDefaults("warm"),
                TimeLimiter.of(Duration.ofSeconds(1)), Executors.newSingleThreadExecutor(), meters,
                Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(warmed.connect()).isTrue();

        assertThat(store.reads).hasValue(FraudFeatures.SERVED_VIEWS.size());
        warmed.close();
    }

    @Test
    void aStoreThatCannotConnectIsRetriedOnTheNextRead() {
        AtomicInteger attempts = new AtomicInteger();
        OnlineFeatures flaky = new OnlineFeatures(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("redis down");
            }
            return store;
        }, CircuitBreaker.ofDefaults("flaky"), TimeLimiter.of(Duration.ofSeconds(1)),
                Executors.newSingleThreadExecutor(), meters, Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(flaky.connect()).isFalse();
        assertThat(flaky.read(cards("ct_a")).available()).isTrue();
        flaky.close();
    }
}
