package dev.mlplatform.featurestore.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.featurestore.definitions.WindowedVelocity.Tally;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CardVelocityTest {

    private static final long T0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    @Test
    void countsATransactionFromItsOwnTimeUntilJustBeforeItLeavesEachWindow() {
        List<Tally> one = List.of(new Tally(T0, 1, 1250));

        assertThat(FraudFeatures.cardVelocity().valuesAt(T0 - 1, one)).containsEntry("tx_count_1m", 0L).containsEntry("tx_count_1h", 0L);
        assertThat(FraudFeatures.cardVelocity().valuesAt(T0, one))
                .containsEntry("tx_count_1m", 1L).containsEntry("tx_amount_1m", 12.5)
                .containsEntry("tx_count_5m", 1L).containsEntry("tx_count_1h", 1L);
        assertThat(FraudFeatures.cardVelocity().valuesAt(T0 + MINUTE - 1, one)).containsEntry("tx_count_1m", 1L);
        assertThat(FraudFeatures.cardVelocity().valuesAt(T0 + MINUTE, one))
                .containsEntry("tx_count_1m", 0L).containsEntry("tx_amount_1m", 0.0)
                .containsEntry("tx_count_5m", 1L);
        assertThat(FraudFeatures.cardVelocity().valuesAt(T0 + 5 * MINUTE, one)).containsEntry("tx_count_5m", 0L).containsEntry("tx_count_1h", 1L);
        assertThat(FraudFeatures.cardVelocity().valuesAt(T0 + HOUR, one)).containsEntry("tx_count_1h", 0L).containsEntry("tx_amount_1h", 0.0);
    }

    @Test
    void producesEveryFeatureOfTheViewWithItsDeclaredType() {
        Map<String, Object> values = FraudFeatures.cardVelocity().valuesAt(T0, List.of(new Tally(T0, 2, 999)));

        assertThat(values.keySet()).containsExactlyElementsOf(FraudFeatures.CARD_VELOCITY.featureNames());
        FeatureRow row = new FeatureRow("ct_x", Instant.ofEpochMilli(T0), values);
        assertThat(FeatureValues.checked(FraudFeatures.CARD_VELOCITY, row)).isEqualTo(values);
    }

    @Test
    void sumsAmountsExactlyWhateverTheOrder() {
        // 0.1 + 0.2 != 0.3 in doubles; in cents the sum is exact and so the same in any order.
        List<Tally> tallies = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            tallies.add(Tally.of(Instant.ofEpochMilli(T0 - i * SECOND), new BigDecimal(i % 3 == 0 ? "0.10" : "0.20")));
        }
        Object forward = FraudFeatures.cardVelocity().valuesAt(T0, tallies).get("tx_amount_1m");
        Collections.reverse(tallies);
        Object backward = FraudFeatures.cardVelocity().valuesAt(T0, tallies).get("tx_amount_1m");

        assertThat(forward).isEqualTo(5.0).isEqualTo(backward);
    }

    @Test
    void refusesAmountsFinerThanACent() {
        assertThat(WindowedVelocity.cents(new BigDecimal("42.5"))).isEqualTo(4250);
        assertThat(WindowedVelocity.cents(new BigDecimal("1E+3"))).isEqualTo(100_000);
        assertThatThrownBy(() -> WindowedVelocity.cents(new BigDecimal("0.001")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.001");
    }

    @Test
    void addsTalliesOfTheSameMillisecondOnly() {
        Tally a = new Tally(T0, 1, 100);

        assertThat(a.plus(new Tally(T0, 2, 50))).isEqualTo(new Tally(T0, 3, 150));
        assertThatThrownBy(() -> a.plus(new Tally(T0 + 1, 1, 1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void changesAtTheTransactionAndWhenItLeavesEachWindow() {
        assertThat(FraudFeatures.cardVelocity().changeTimes(T0)).containsExactly(T0, T0 + MINUTE, T0 + 5 * MINUTE, T0 + HOUR);
        assertThat(FraudFeatures.cardVelocity().stillCounts(new Tally(T0, 1, 1), T0 + HOUR - 1)).isTrue();
        assertThat(FraudFeatures.cardVelocity().stillCounts(new Tally(T0, 1, 1), T0 + HOUR)).isFalse();
    }

    @Test
    void replayEmitsOneRowPerChangeTimeEndingInZerosAfterAnIdleHour() {
        List<FeatureRow> rows = FraudFeatures.cardVelocity().replay("ct_a", List.of(
                new Tally(T0 + 30 * SECOND, 1, 1000), new Tally(T0, 1, 500)));

        assertThat(rows).extracting(row -> row.eventTime().toEpochMilli()).containsExactly(
                T0, T0 + 30 * SECOND, T0 + MINUTE, T0 + 90 * SECOND, T0 + 5 * MINUTE, T0 + 5 * MINUTE + 30 * SECOND,
                T0 + HOUR, T0 + HOUR + 30 * SECOND);
        assertThat(rows.get(1).values()).containsEntry("tx_count_1m", 2L).containsEntry("tx_amount_1m", 15.0);
        assertThat(rows.get(2).values()).containsEntry("tx_count_1m", 1L).containsEntry("tx_amount_1m", 10.0)
                .containsEntry("tx_count_5m", 2L);
        assertThat(rows.get(6).values()).containsEntry("tx_count_1h", 1L).containsEntry("tx_amount_1h", 10.0);
        assertThat(rows.get(7).values()).containsEntry("tx_count_1m", 0L).containsEntry("tx_count_5m", 0L)
                .containsEntry("tx_count_1h", 0L).containsEntry("tx_amount_1h", 0.0);
        assertThat(rows).allSatisfy(row -> assertThat(row.entityId()).isEqualTo("ct_a"));
    }

    @Test
    void replayAgreesWithTheDefinitionAtEveryChangeTimeOfARandomHistory() {
        Random random = new Random(42);
        List<Tally> tallies = new ArrayList<>();
        long time = T0;
        for (int i = 0; i < 400; i++) {
            // Bursts of seconds, pauses of minutes and idle hours, some in the same millisecond.
            long gap = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(10) * SECOND;
                case 2 -> random.nextInt(10) * MINUTE;
                default -> random.nextInt(3) * HOUR + random.nextInt(1000);
            };
            time += gap;
            tallies.add(new Tally(time, 1, 1 + random.nextInt(100_000)));
        }
        Collections.shuffle(tallies, random);

        List<FeatureRow> rows = FraudFeatures.cardVelocity().replay("ct_r", tallies);

        TreeSet<Long> expectedTimes = new TreeSet<>();
        tallies.forEach(t -> {
            for (long change : FraudFeatures.cardVelocity().changeTimes(t.epochMillis())) {
                expectedTimes.add(change);
            }
        });
        assertThat(rows).extracting(row -> row.eventTime().toEpochMilli()).containsExactlyElementsOf(expectedTimes);
        for (FeatureRow row : rows) {
            // The definition itself, over the whole history: (t - w, t] for each window.
            long at = row.eventTime().toEpochMilli();
            assertThat(row.values()).as("row at %d", at).isEqualTo(FraudFeatures.cardVelocity().valuesAt(at, tallies));
        }
    }
}
