package dev.mlplatform.featurestore.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlplatform.core.events.FraudLabel;
import dev.mlplatform.featurestore.definitions.MerchantRisk.MerchantState;
import dev.mlplatform.featurestore.registry.FeatureRow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MerchantRiskTest {

    private static final long T0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long DELAY = MerchantRisk.LABEL_DELAY.toMillis();

    @Test
    void a_payment_and_its_fraud_count_only_once_the_label_delay_has_passed() {
        MerchantState state = new MerchantState();
        state.addPayment(T0 + 5_000);
        state.addPayment(T0 + 20_000);
        state.addFraud("tx-2", T0 + 20_000, MerchantRisk.visibleAt(T0 + 20_000, T0 + HOUR));

        assertThat(known(state, T0 + DELAY - 1)).containsExactly(0, 0, 0, 0, 0, 0);
        // The minute of both payments (T0) is d old at T0 + d: in every window, the fraud with it.
        assertThat(known(state, T0 + DELAY)).containsExactly(2, 1, 2, 1, 2, 1);
        assertThat(known(state, T0 + DELAY + DAY - 1)).containsExactly(2, 1, 2, 1, 2, 1);
        assertThat(known(state, T0 + DELAY + DAY)).containsExactly(0, 0, 2, 1, 2, 1);
        assertThat(known(state, T0 + DELAY + 30 * DAY)).containsExactly(0, 0, 0, 0, 0, 0);
    }

    @Test
    void a_label_reported_after_the_delay_counts_from_its_report() {
        MerchantState state = new MerchantState();
        state.addPayment(T0);
        long reported = T0 + DELAY + 3 * HOUR;
        state.addFraud("tx-1", T0, MerchantRisk.visibleAt(T0, reported));

        assertThat(known(state, reported - 1)).containsExactly(1, 0, 1, 0, 1, 0);
        assertThat(known(state, reported)).containsExactly(1, 1, 1, 1, 1, 1);
    }

    @Test
    void a_fraud_reported_twice_counts_once() {
        MerchantState state = new MerchantState();
        state.addPayment(T0);
        assertThat(state.addFraud("tx-1", T0, MerchantRisk.visibleAt(T0, T0))).isTrue();
        assertThat(state.addFraud("tx-1", T0, MerchantRisk.visibleAt(T0, T0 + DAY))).isFalse();

        assertThat(known(state, T0 + DELAY)).containsExactly(1, 1, 1, 1, 1, 1);
    }

    @Test
    void the_features_are_the_fraud_share_and_the_days_since_the_last_known_fraud() {
        MerchantState state = new MerchantState();
        for (int i = 0; i < 4; i++) {
            state.addPayment(T0 + i * DAY);
        }
        state.addFraud("tx-0", T0, T0);
        long now = T0 + DELAY + 3 * DAY + HOUR;

        MerchantRisk.Features features = MerchantRisk.features(state.rowAt("m-1", now), now);

        assertThat(features.transactions()).containsExactly(1L, 4L, 4L);
        assertThat(features.fraudRates()).containsExactly(0.0, 0.25, 0.25);
        assertThat(features.daysSinceFraud()).isCloseTo(7 + 3 + 1 / 24.0, within(1e-9));
        assertThat(MerchantRisk.features(null, now)).isSameAs(MerchantRisk.Features.NONE);
        assertThat(MerchantRisk.Features.NONE.daysSinceFraud()).isNaN();
    }

    @Test
    void the_row_only_changes_at_the_change_times_so_the_latest_emitted_row_is_exact() {
        Random random = new Random(3);
        MerchantState state = new MerchantState();
        TreeSet<Long> changeTimes = new TreeSet<>();
        for (int i = 0; i < 300; i++) {
            long t = T0 + (long) (random.nextDouble() * 20 * DAY);
            state.addPayment(t);
            for (long change : MerchantState.changeTimesOfPayment(t)) {
                changeTimes.add(change);
            }
            if (random.nextDouble() < 0.2) {
                long visible = MerchantRisk.visibleAt(t, t + (long) (random.nextDouble() * 10 * DAY));
                state.addFraud("tx-" + i, t, visible);
                changeTimes.add(visible);
            }
        }
        for (int probe = 0; probe < 500; probe++) {
            long t = T0 + DELAY + (long) (random.nextDouble() * 50 * DAY);
            Long change = changeTimes.floor(t);
            FeatureRow atChange = state.rowAt("m-1", change);
            FeatureRow atProbe = state.rowAt("m-1", t);
            assertThat(atProbe.values()).as("at %s, last change %s", Instant.ofEpochMilli(t), Instant.ofEpochMilli(change))
                    .isEqualTo(atChange.values());
        }
    }

    @Test
    void the_replay_emits_a_row_at_each_change_down_to_nothing_known() {
        long reported = T0 + DELAY + 2 * HOUR;
        FraudLabel label = new FraudLabel("tx-1", "m-1", Instant.ofEpochMilli(T0), Instant.ofEpochMilli(reported));

        List<FeatureRow> rows = MerchantRisk.replay("m-1", List.of(T0, T0 + 10_000), List.of(label, label));

        assertThat(rows).extracting(row -> row.eventTime().toEpochMilli()).containsExactly(
                T0 + DELAY, reported, T0 + DELAY + DAY, T0 + DELAY + 7 * DAY, T0 + DELAY + 30 * DAY);
        assertThat(rows.get(0).values()).containsEntry("known_tx_1d", 2L).containsEntry("known_frauds_1d", 0L);
        assertThat(rows.get(1).values()).containsEntry("known_tx_1d", 2L).containsEntry("known_frauds_1d", 1L)
                .containsEntry("last_known_fraud_millis", T0);
        assertThat(rows.get(4).values()).containsEntry("known_tx_30d", 0L).doesNotContainKey("last_known_fraud_millis");
    }

    @Test
    void the_state_forgets_what_left_every_window() {
        MerchantState state = new MerchantState();
        state.addPayment(T0 + 30 * MINUTE);
        state.addFraud("tx-1", T0 + 30 * MINUTE, T0 + HOUR);

        assertThat(state.forgetBefore(MerchantState.forgottenAt(T0 + 30 * MINUTE) - 1)).isFalse();
        assertThat(state.forgetBefore(MerchantState.forgottenAt(T0 + 30 * MINUTE))).isTrue();
    }

    @Test
    void the_view_declares_every_value_of_a_row() {
        MerchantState state = new MerchantState();
        state.addPayment(T0);
        state.addFraud("tx-1", T0, T0);
        FeatureRow row = state.rowAt("m-1", T0 + DELAY);

        assertThat(FraudFeatures.MERCHANT_RISK.featureNames()).containsExactlyInAnyOrderElementsOf(row.values().keySet());
        assertThat(FraudFeatures.MERCHANT_RISK.id()).isEqualTo("merchant_risk:v1");
    }

    /** Payments and frauds of the 1, 7 and 30 day windows at {@code t}. */
    private static long[] known(MerchantState state, long t) {
        FeatureRow row = state.rowAt("m-1", t);
        long[] counts = new long[6];
        int i = 0;
        for (Duration window : MerchantRisk.WINDOWS) {
            counts[i++] = (long) row.getDouble(MerchantRisk.transactionsFeature(window), -1);
            counts[i++] = (long) row.getDouble(MerchantRisk.fraudsFeature(window), -1);
        }
        return counts;
    }
}
