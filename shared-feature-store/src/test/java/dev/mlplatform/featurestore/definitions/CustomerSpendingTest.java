package dev.mlplatform.featurestore.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlplatform.featurestore.definitions.CustomerSpending.Payment;
import dev.mlplatform.featurestore.registry.FeatureRow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomerSpendingTest {

    /** A Wednesday. */
    private static final Instant DAY = Instant.parse("2026-03-04T00:00:00Z");

    private static Payment paid(Instant time, double amount) {
        return new Payment(time.toEpochMilli(), "c-1", "5411", amount);
    }

    @Test
    void aDaysRowCountsThePaymentsOfEachWindowBeforeTheDayStarts() {
        List<Payment> payments = List.of(
                paid(DAY.minus(Duration.ofDays(91)), 1000),          // before every window, in the population
                paid(DAY.minus(Duration.ofDays(61)).plusSeconds(3600 * 2), 10), // a Friday night, 61 days ago
                paid(DAY.minus(Duration.ofDays(4)).plusSeconds(3600 * 12), 20),  // Saturday noon
                paid(DAY.minus(Duration.ofMillis(1)), 30),
                paid(DAY, 5000));                                    // today: tomorrow's row

        FeatureRow row = CustomerSpending.customerRow("c-1", DAY, payments);

        assertThat(row.eventTime()).isEqualTo(DAY);
        assertThat(row.values()).containsEntry("payments_7d", 2L).containsEntry("payments_30d", 2L)
                .containsEntry("payments_90d", 3L);
        assertThat(row.getDouble("amount_mean_7d", 0)).isEqualTo(25.0);
        assertThat(row.getDouble("amount_std_7d", 0)).isEqualTo(5.0);
        assertThat(row.getDouble("amount_mean_90d", 0)).isEqualTo(20.0);
        assertThat(row.getDouble("night_share_90d", 0)).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(row.getDouble("weekend_share_90d", 0)).isCloseTo(1 / 3.0, within(1e-12));
    }

    @Test
    void aCustomerWhoseLastPaymentLeftEveryWindowGetsOneRowOfZerosThenNone() {
        List<Payment> payments = List.of(paid(DAY.minus(Duration.ofDays(90)).minusSeconds(1), 10));

        assertThat(CustomerSpending.customerRow("c-1", DAY, payments).values())
                .containsEntry("payments_90d", 0L).doesNotContainKeys("amount_mean_90d", "night_share_90d");
        assertThat(CustomerSpending.customerRow("c-1", DAY.plus(Duration.ofDays(1)), payments)).isNull();
    }

    @Test
    void theFeaturesCompareTheAmountWithTheCustomersAndTheCategorysSpread() {
        List<Payment> payments = List.of(paid(DAY.minus(Duration.ofDays(2)), 20), paid(DAY.minus(Duration.ofDays(1)), 30));
        FeatureRow customer = CustomerSpending.customerRow("c-1", DAY, payments);
        FeatureRow mcc = CustomerSpending.mccRow("5411", DAY, payments);

        CustomerSpending.Features features = CustomerSpending.features(customer, mcc, 45);

        assertThat(features.customerPayments()).containsExactly(2L, 2L, 2L);
        assertThat(features.customerZScores()).containsExactly(4.0, 4.0, 4.0);
        assertThat(features.amountToMean90d()).isEqualTo(1.8);
        assertThat(features.mccZScore30d()).isEqualTo(4.0);
        CustomerSpending.Features unknown = CustomerSpending.features(null, null, 45);
        assertThat(unknown.customerPayments()).containsExactly(0L, 0L, 0L);
        assertThat(unknown.customerZScores()).allMatch(z -> z.isNaN());
        assertThat(unknown.nightShare90d()).isNaN();
        assertThat(unknown.mccZScore30d()).isNaN();
    }

    @Test
    void theLastYearSeasonComparesTheAmountWithTheSameDatesAYearBefore() {
        List<Payment> payments = List.of(
                paid(DAY.minus(Duration.ofDays(379)), 300),
                paid(DAY.minus(Duration.ofDays(365)), 100),
                paid(DAY.minus(Duration.ofDays(349)), 5000),   // after the season, before the 90 days: no customer window
                paid(DAY.minus(Duration.ofDays(2)), 20));
        FeatureRow customer = CustomerSpending.customerRow("c-1", DAY, payments);
        FeatureRow mcc = CustomerSpending.mccRow("5411", DAY, payments);

        assertThat(customer.values()).containsEntry("payments_last_year_season", 2L).containsEntry("payments_90d", 1L);
        assertThat(customer.getDouble("amount_mean_last_year_season", 0)).isEqualTo(200.0);
        assertThat(customer.getDouble("amount_std_last_year_season", 0)).isEqualTo(100.0);
        assertThat(mcc.values()).containsEntry("payments_365d", 3L).containsEntry("payments_last_year_season", 2L)
                .containsEntry("payments_30d", 1L);

        CustomerSpending.Features features = CustomerSpending.features(customer, mcc, 400);

        assertThat(features.customerPaymentsLastYearSeason()).isEqualTo(2);
        assertThat(features.customerZScoreLastYearSeason()).isEqualTo(2.0);
        assertThat(features.mccZScoreLastYearSeason()).isEqualTo(2.0);
        assertThat(features.mccSeasonalIndex()).isCloseTo((2 / 30.0) / (3 / 365.0), within(1e-12));
        CustomerSpending.Features recentOnly = CustomerSpending.features(
                CustomerSpending.customerRow("c-1", DAY, payments.subList(3, 4)),
                CustomerSpending.mccRow("5411", DAY, payments.subList(3, 4)), 400);
        assertThat(recentOnly.customerPaymentsLastYearSeason()).isZero();
        assertThat(recentOnly.customerZScoreLastYearSeason()).isNaN();
        assertThat(recentOnly.mccSeasonalIndex()).isNaN();
    }

    @Test
    void aCustomerWhoPaidOnlyAYearAgoHasARowWhileTheSeasonHoldsThePaymentThenOneOfZerosThenNone() {
        List<Payment> payments = List.of(paid(DAY.minus(Duration.ofDays(380)).plusMillis(1), 10));

        assertThat(CustomerSpending.customerRow("c-1", DAY, payments).values())
                .containsEntry("payments_last_year_season", 1L).containsEntry("payments_90d", 0L);
        assertThat(CustomerSpending.customerRow("c-1", DAY.plus(Duration.ofDays(1)), payments).values())
                .containsEntry("payments_last_year_season", 0L).doesNotContainKey("amount_mean_last_year_season");
        assertThat(CustomerSpending.customerRow("c-1", DAY.plus(Duration.ofDays(2)), payments)).isNull();
    }

    @Test
    void theViewsDeclareEveryValueOfTheirRows() {
        List<Payment> payments = List.of(paid(DAY.minus(Duration.ofDays(365)), 40),
                paid(DAY.minus(Duration.ofDays(2)), 20), paid(DAY.minus(Duration.ofDays(1)), 30));

        assertThat(FraudFeatures.CUSTOMER_SPENDING.featureNames())
                .containsExactlyInAnyOrderElementsOf(CustomerSpending.customerRow("c-1", DAY, payments).values().keySet());
        assertThat(FraudFeatures.MCC_SPENDING.featureNames())
                .containsExactlyInAnyOrderElementsOf(CustomerSpending.mccRow("5411", DAY, payments).values().keySet());
    }
}
