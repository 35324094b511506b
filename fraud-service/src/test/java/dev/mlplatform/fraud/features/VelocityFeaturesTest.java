package dev.mlplatform.fraud.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.definitions.WindowedVelocity;
import dev.mlplatform.featurestore.registry.FeatureRow;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VelocityFeaturesTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    /** The online row the feature job writes after {@code tallies}: the card velocity's values at the last one. */
    private static FeatureRow rowAfter(List<WindowedVelocity.Tally> tallies) {
        long last = tallies.get(tallies.size() - 1).epochMillis();
        return FraudFeatures.cardVelocity().rowAt("ct_card", last, tallies);
    }

    private static WindowedVelocity.Tally tally(Instant at, String amount) {
        return WindowedVelocity.Tally.of(at, new BigDecimal(amount));
    }

    @Test
    void aCardWithoutHistoryCountsTheTransactionAlone() {
        VelocityFeatures v = VelocityFeatures.at(null, T0, BigDecimal.valueOf(12.5));

        assertThat(v).isEqualTo(new VelocityFeatures(1, 12.5, 1, 12.5, 1, 12.5));
    }

    @Test
    void addsTheTransactionToTheWindowsItsHistoryStillFalls() {
        List<WindowedVelocity.Tally> history = new ArrayList<>(List.of(
                tally(T0.minus(Duration.ofMinutes(50)), "100.00"),
                tally(T0.minus(Duration.ofMinutes(3)), "20.00"),
                tally(T0.minus(Duration.ofSeconds(30)), "5.00")));
        Instant now = T0;

        VelocityFeatures served = VelocityFeatures.at(rowAfter(history), now, BigDecimal.valueOf(7.0));

        // What the card velocity computes over the whole history with this transaction in it: the same.
        history.add(tally(now, "7.00"));
        VelocityFeatures exact = VelocityFeatures.of(FraudFeatures.cardVelocity().valuesAt(now.toEpochMilli(), history));
        assertThat(served).isEqualTo(exact);
        assertThat(served).isEqualTo(new VelocityFeatures(2, 12, 3, 32, 4, 132));
    }

    @Test
    void aRowOlderThanAWindowContributesNothingToThatWindow() {
        FeatureRow row = rowAfter(List.of(tally(T0, "50.00")));

        VelocityFeatures tenMinutesLater = VelocityFeatures.at(row, T0.plus(Duration.ofMinutes(10)), BigDecimal.valueOf(3.0));
        VelocityFeatures twoHoursLater = VelocityFeatures.at(row, T0.plus(Duration.ofHours(2)), BigDecimal.valueOf(3.0));

        assertThat(tenMinutesLater).isEqualTo(new VelocityFeatures(1, 3, 1, 3, 2, 53));
        assertThat(twoHoursLater).isEqualTo(VelocityFeatures.ofTransactionOnly(3.0));
    }

    @Test
    void aWindowEndsExclusivelyAtItsLength() {
        FeatureRow row = rowAfter(List.of(tally(T0, "50.00")));

        // (t - 1m, t]: an event exactly one minute earlier is out of the 1-minute window.
        VelocityFeatures exactlyOneMinute = VelocityFeatures.at(row, T0.plus(Duration.ofMinutes(1)), BigDecimal.valueOf(1.0));

        assertThat(exactlyOneMinute.count1m()).isEqualTo(1);
        assertThat(exactlyOneMinute.count5m()).isEqualTo(2);
    }

    @Test
    void aRowWrittenForThisVeryTransactionIsNotCountedTwice() {
        FeatureRow row = rowAfter(List.of(tally(T0.minusSeconds(20), "4.00"), tally(T0, "6.00")));

        VelocityFeatures v = VelocityFeatures.at(row, T0, BigDecimal.valueOf(6.0));

        assertThat(v).isEqualTo(new VelocityFeatures(2, 10, 2, 10, 2, 10));
    }

    @Test
    void readsAnyWindowByItsDuration() {
        VelocityFeatures v = new VelocityFeatures(1, 2, 3, 4, 5, 6);

        assertThat(v.count(Duration.ofMinutes(5))).isEqualTo(3);
        assertThat(v.amount(Duration.ofHours(1))).isEqualTo(6);
    }
}
