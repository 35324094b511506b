package dev.mlplatform.recsys.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.featurestore.definitions.RecsysFeatures;
import dev.mlplatform.featurestore.online.OnlineStore;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.recsys.catalogue.Catalogue;
import io.lettuce.core.RedisCommandTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnlineSignalsTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    /** A store that answers from a map until it is told to time out. */
    private static final class FlakyStore implements OnlineStore {
        final Map<String, FeatureRow> trending = new LinkedHashMap<>();
        boolean down;

        @Override
        public void writeBatch(FeatureView view, List<FeatureRow> rows) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, FeatureRow> readBatch(FeatureView view, Collection<String> entityIds) {
            if (down) {
                throw new RedisCommandTimeoutException("no answer in 50 ms");
            }
            Map<String, FeatureRow> rows = new LinkedHashMap<>();
            if (view.equals(RecsysFeatures.TRENDING)) {
                entityIds.stream().filter(trending::containsKey).forEach(id -> rows.put(id, trending.get(id)));
            }
            return rows;
        }

        @Override
        public void delete(FeatureView view, String entityId) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void whenTheStoreDoesNotAnswerTheUserGetsTheLastTrendingListSeenMarkedDegraded() {
        FlakyStore store = new FlakyStore();
        store.trending.put(RecsysFeatures.ALL, new FeatureRow(RecsysFeatures.ALL, NOW, Map.of(
                "top_items", "a:5,b:3", "interactions", 8L, "window_end", NOW.toEpochMilli())));
        OnlineSignals signals = new OnlineSignals(store, new Catalogue(), null, Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofDays(14), 0);

        UserSignals answered = signals.read("u-1", null);
        store.down = true;
        UserSignals degraded = signals.read("u-1", null);

        assertThat(answered.degraded()).isFalse();
        assertThat(answered.coldStart()).isTrue();
        assertThat(degraded.degraded()).isTrue();
        assertThat(degraded.trending().itemIds()).containsExactly("a", "b");
        assertThat(degraded.candidates().entries()).isEmpty();
    }
}
