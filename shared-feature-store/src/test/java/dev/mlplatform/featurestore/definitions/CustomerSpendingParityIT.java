package dev.mlplatform.featurestore.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.FeatureStore;
import dev.mlplatform.featurestore.TestStores;
import dev.mlplatform.featurestore.definitions.CustomerSpending.Payment;
import dev.mlplatform.featurestore.registry.FeatureRow;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batch/training parity of the spending features: payments logged in the offline store and aggregated by the
 * materialization's SQL give, for every customer and category and at several cutoffs, the rows the Java
 * arithmetic of training computes from the same payments.
 */
class CustomerSpendingParityIT {

    /** A period no other test logs payments in; its rows are deleted before and after. */
    private static final Instant START = Instant.parse("2023-05-01T00:00:00Z");
    private static final int DAYS = 120;
    private static final List<String> MCCS = List.of("5411", "5812", "5999", "4111");

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private FeatureStore store;
    private List<TransactionEvent> transactions;

    @BeforeEach
    void logPayments() {
        store = FeatureStore.open(TestStores.connection());
        List.of(FraudFeatures.PAYMENT_LOG, FraudFeatures.CUSTOMER_SPENDING, FraudFeatures.MCC_SPENDING).forEach(store::register);
        deletePeriod();
        transactions = simulate(new Random(17));
        store.log(FraudFeatures.PAYMENT_LOG, transactions.stream().map(CustomerSpending::paymentLogRow).toList());
    }

    @AfterEach
    void cleanUp() {
        deletePeriod();
        for (TransactionEvent tx : transactions) {
            store.online().delete(FraudFeatures.CUSTOMER_SPENDING, tx.customerId());
        }
        store.close();
    }

    @Test
    void theMaterializationsSqlGivesTheRowsOfTrainingsArithmetic() {
        List<Payment> payments = transactions.stream().map(Payment::of).toList();
        Map<String, List<Payment>> byCustomer = payments.stream().collect(Collectors.groupingBy(Payment::customerId));
        // Before any payment, in the middle, as the first ones leave the 90 days, after the last one, a year on
        // (the payments in the last-year season), as the last ones leave that season, and after.
        for (int day : List.of(0, 3, 45, 95, DAYS + 5, DAYS + 90, 365, 400, DAYS + 380, DAYS + 381)) {
            Instant cutoff = START.plus(Duration.ofDays(day));
            Map<String, FeatureRow> customers = byEntity(store.offline().aggregate(
                    FraudFeatures.CUSTOMER_SPENDING, CustomerSpending.CUSTOMER_SQL, cutoff));
            Map<String, FeatureRow> expected = new HashMap<>();
            byCustomer.forEach((customer, own) -> {
                FeatureRow row = CustomerSpending.customerRow(customer, cutoff, own);
                if (row != null) {
                    expected.put(customer, row);
                }
            });
            assertSameRows(customers, expected, "customers as of " + cutoff);

            Map<String, FeatureRow> categories = byEntity(store.offline().aggregate(
                    FraudFeatures.MCC_SPENDING, CustomerSpending.MCC_SQL, cutoff));
            assertSameRows(categories, byEntity(CustomerSpending.mccRows(cutoff, payments)), "categories as of " + cutoff);
        }
    }

    @Test
    void materializingWritesTheRowsOnlineAndErasingACustomerRemovesTheirPayments() {
        Instant cutoff = START.plus(Duration.ofDays(60));
        String customer = transactions.get(0).customerId();

        int written = store.materialize(FraudFeatures.CUSTOMER_SPENDING, CustomerSpending.CUSTOMER_SQL, cutoff);

        assertThat(written).isEqualTo(transactions.stream().map(TransactionEvent::customerId).distinct().count());
        FeatureRow online = store.online().readBatch(FraudFeatures.CUSTOMER_SPENDING, List.of(customer)).get(customer);
        assertThat(online.eventTime()).isEqualTo(cutoff);
        assertThat(online.values()).containsKeys("payments_7d", "amount_mean_90d", "night_share_90d");

        long own = transactions.stream().filter(tx -> tx.customerId().equals(customer)).count();
        assertThat(store.offline().deleteMatching(FraudFeatures.PAYMENT_LOG, "customer_id", customer)).isEqualTo(own);
        assertThat(store.offline().aggregate(FraudFeatures.CUSTOMER_SPENDING, CustomerSpending.CUSTOMER_SQL, cutoff))
                .extracting(FeatureRow::entityId).doesNotContain(customer).isNotEmpty();
    }

    /** 40 customers paying 0 to 3 times a day at any hour, some days not at all, in four categories (some with none). */
    private List<TransactionEvent> simulate(Random random) {
        List<TransactionEvent> simulated = new ArrayList<>();
        for (int c = 0; c < 40; c++) {
            String customer = "spend-" + run + "-" + c;
            double typical = 10 + random.nextDouble() * 200;
            for (int day = 0; day < DAYS; day++) {
                int payments = random.nextInt(4);
                for (int p = 0; p < payments; p++) {
                    Instant time = START.plus(Duration.ofDays(day)).plusMillis(random.nextLong(Duration.ofDays(1).toMillis()));
                    BigDecimal amount = BigDecimal.valueOf(typical * (0.2 + random.nextDouble() * 1.6)).setScale(2, RoundingMode.HALF_UP);
                    String mcc = random.nextInt(10) == 0 ? null : MCCS.get(random.nextInt(MCCS.size()));
                    simulated.add(new TransactionEvent("tx-" + run + "-" + simulated.size(), null, "ct_" + c, customer,
                            "m-" + random.nextInt(30), null, mcc, amount, "EUR", time, "pos", null, null, null, null));
                }
            }
        }
        return simulated;
    }

    private static Map<String, FeatureRow> byEntity(List<FeatureRow> rows) {
        return rows.stream().collect(Collectors.toMap(FeatureRow::entityId, Function.identity()));
    }

    /** Same entities and features; counts equal, means and spreads equal up to the order of floating-point sums. */
    private static void assertSameRows(Map<String, FeatureRow> actual, Map<String, FeatureRow> expected, String what) {
        assertThat(actual.keySet()).as(what).isEqualTo(expected.keySet());
        expected.forEach((entity, row) -> {
            FeatureRow got = actual.get(entity);
            assertThat(got.eventTime()).as(what).isEqualTo(row.eventTime());
            assertThat(got.values().keySet()).as(what + ", " + entity).isEqualTo(row.values().keySet());
            row.values().forEach((feature, value) -> {
                if (value instanceof Double d) {
                    assertThat(((Number) got.values().get(feature)).doubleValue()).as(what + ", " + entity + " " + feature)
                            .isCloseTo(d, within(1e-9 * Math.max(1, Math.abs(d))));
                } else {
                    assertThat(got.values().get(feature)).as(what + ", " + entity + " " + feature).isEqualTo(value);
                }
            });
        });
    }

    private void deletePeriod() {
        try (Connection c = TestStores.dataSource().getConnection();
             PreparedStatement delete = c.prepareStatement("""
                     DELETE FROM featurestore.feature_log
                      WHERE view_id IN ('payment_log:v1', 'customer_spending:v1', 'mcc_spending:v1')
                        AND event_time >= ? AND event_time < ?""")) {
            delete.setObject(1, START.atOffset(ZoneOffset.UTC));
            delete.setObject(2, START.plus(Duration.ofDays(DAYS + 400)).atOffset(ZoneOffset.UTC));
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
