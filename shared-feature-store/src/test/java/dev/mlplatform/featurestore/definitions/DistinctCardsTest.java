package dev.mlplatform.featurestore.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.featurestore.definitions.DistinctCards.CardPayment;
import dev.mlplatform.featurestore.definitions.DistinctCards.CardsState;
import dev.mlplatform.featurestore.registry.FeatureRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DistinctCardsTest {

    private static final long T0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();

    @Test
    void aCardCountsOnceInEachWindowItPaidIn() {
        CardsState state = new CardsState();
        state.add("a", T0);
        state.add("a", T0 + 10 * MINUTE);
        state.add("b", T0 + 20 * MINUTE);
        state.add("c", T0 - 5 * HOUR);

        assertThat(DistinctCards.features(state.rowAt("m-1", T0 + 30 * MINUTE))).containsExactly(2L, 3L);
        // The same state, read before b's payment: a later payment does not count.
        assertThat(DistinctCards.features(state.rowAt("m-1", T0 + 15 * MINUTE))).containsExactly(1L, 2L);
        assertThat(DistinctCards.features(state.rowAt("m-1", T0 + 10 * MINUTE + HOUR))).containsExactly(1L, 3L);
        assertThat(DistinctCards.features(null)).containsExactly(0L, 0L);
    }

    @Test
    void theRowOnlyChangesAtTheChangeTimesSoTheReplaysRowsServeExactly() {
        Random random = new Random(9);
        List<CardPayment> payments = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            payments.add(new CardPayment("card-" + random.nextInt(60), T0 + (long) (random.nextDouble() * 3 * DAY)));
        }
        CardsState state = new CardsState();
        payments.forEach(p -> state.add(p.card(), p.epochMillis()));
        List<FeatureRow> rows = DistinctCards.replay("d-1", payments);
        TreeSet<Long> rowTimes = new TreeSet<>(rows.stream().map(row -> row.eventTime().toEpochMilli()).toList());

        assertThat(rows.get(rows.size() - 1).values()).containsEntry("cards_1h", 0L).containsEntry("cards_1d", 0L);
        for (int probe = 0; probe < 500; probe++) {
            long t = T0 + (long) (random.nextDouble() * 5 * DAY);
            Long latest = rowTimes.floor(t);
            FeatureRow expected = latest == null ? null : state.rowAt("d-1", latest);
            assertThat(DistinctCards.features(state.rowAt("d-1", t))).isEqualTo(DistinctCards.features(expected));
        }
    }

    @Test
    void theStateForgetsWhatLeftTheDay() {
        CardsState state = new CardsState();
        state.add("a", T0);
        state.add("b", T0 + HOUR);

        assertThat(state.forgetBefore(T0 + DAY)).isFalse();
        assertThat(DistinctCards.features(state.rowAt("m-1", T0 + DAY))).containsExactly(0L, 1L);
        assertThat(state.forgetBefore(T0 + HOUR + DAY)).isTrue();
    }

    @Test
    void theViewsDeclareTheRowsValues() {
        FeatureRow row = new CardsState().rowAt("m-1", T0);

        assertThat(FraudFeatures.DEVICE_CARDS.featureNames()).containsExactlyInAnyOrderElementsOf(row.values().keySet());
        assertThat(FraudFeatures.MERCHANT_CARDS.featureNames()).containsExactlyInAnyOrderElementsOf(row.values().keySet());
    }
}
