package dev.mlplatform.featurestore.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlplatform.featurestore.definitions.TransactionHistoryFeatures.Transaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransactionHistoryFeaturesTest {

    /** A Monday. */
    private static final Instant MONDAY = Instant.parse("2018-04-02T00:00:00Z");
    private static final Duration DELAY = Duration.ofDays(2);

    @Test
    void handComputedValuesOnATinySequence() {
        TransactionHistoryFeatures features = new TransactionHistoryFeatures(DELAY);
        features.next(tx("0d10:00", "c1", "t1", 10, true));
        features.next(tx("1d10:00", "c1", "t1", 20, false));
        float[] third = features.next(tx("2d09:00", "c2", "t1", 30, false));
        float[] fourth = features.next(tx("2d11:00", "c2", "t1", 40, false));
        float[] fifth = features.next(tx("3d12:00", "c1", "t2", 60, false));

        // 2d09:00: the fraud at 0d10:00 is 1 h short of the 2-day delay: neither counted nor its label read.
        assertThat(value(third, "terminal_nb_tx_1day_delayed")).isZero();
        assertThat(value(third, "terminal_risk_1day_delayed")).isZero();
        assertThat(value(third, "terminal_days_in_known_fraud_streak")).isNaN();
        assertThat(value(third, "terminal_nb_tx_1day")).isEqualTo(2); // 1d10:00 and itself

        // 2d11:00: now it is older than the delay, inside (2d11:00 - 2d - 1d, 2d11:00 - 2d].
        assertThat(value(fourth, "terminal_nb_tx_1day_delayed")).isEqualTo(1);
        assertThat(value(fourth, "terminal_risk_1day_delayed")).isEqualTo(1);
        assertThat(value(fourth, "terminal_nb_tx_7day_delayed")).isEqualTo(1);
        assertThat(value(fourth, "terminal_risk_30day_delayed")).isEqualTo(1);
        assertThat(value(fourth, "terminal_days_in_known_fraud_streak")).isCloseTo(2 + 1 / 24f, within(1e-6f));
        assertThat(value(fourth, "terminal_days_since_last_known_fraud")).isCloseTo(2 + 1 / 24f, within(1e-6f));
        assertThat(value(fourth, "terminal_nb_tx_1day")).isEqualTo(2); // 2d09:00 and itself; 1d10:00 is > 1 day old
        assertThat(value(fourth, "customer_nb_tx_1day")).isEqualTo(2);
        assertThat(value(fourth, "customer_avg_amount_1day")).isEqualTo(35);
        assertThat(value(fourth, "customer_nb_tx_1hour")).isEqualTo(1); // the 09:00 one is 2 h old
        assertThat(value(fourth, "customer_amount_zscore_7day")).isNaN(); // one earlier payment: no spread
        assertThat(value(fourth, "customer_amount_to_mean_30day")).isCloseTo(40 / 30f, within(1e-6f));
        assertThat(value(fourth, "customer_amount_to_median_30day")).isCloseTo(40 / 30f, within(1e-6f));
        assertThat(value(fourth, "customer_seconds_since_previous_tx")).isEqualTo(7200);

        // c1 at 3d12:00 (Thursday noon), earlier payments 10 and 20: mean 15, population deviation 5.
        assertThat(value(fifth, "tx_amount")).isEqualTo(60);
        assertThat(value(fifth, "tx_during_weekend")).isZero();
        assertThat(value(fifth, "tx_during_night")).isZero();
        assertThat(value(fifth, "customer_nb_tx_1day")).isEqualTo(1);
        assertThat(value(fifth, "customer_avg_amount_1day")).isEqualTo(60);
        assertThat(value(fifth, "customer_nb_tx_7day")).isEqualTo(3);
        assertThat(value(fifth, "customer_avg_amount_7day")).isEqualTo(30);
        assertThat(value(fifth, "customer_nb_tx_30day")).isEqualTo(3);
        assertThat(value(fifth, "customer_amount_zscore_7day")).isCloseTo(9f, within(1e-6f));
        assertThat(value(fifth, "customer_amount_zscore_30day")).isCloseTo(9f, within(1e-6f));
        assertThat(value(fifth, "customer_amount_to_mean_30day")).isCloseTo(4f, within(1e-6f));
        assertThat(value(fifth, "customer_amount_to_median_30day")).isCloseTo(4f, within(1e-6f));
        assertThat(value(fifth, "customer_seconds_since_previous_tx")).isEqualTo(2 * 86400 + 2 * 3600);
        // A terminal never seen: no history, no risk.
        assertThat(value(fifth, "terminal_nb_tx_1day_delayed")).isZero();
        assertThat(value(fifth, "terminal_nb_tx_1day")).isEqualTo(1);
    }

    @Test
    void aLabelCountsFromTheMomentItIsExactlyTheDelayOld() {
        TransactionHistoryFeatures features = new TransactionHistoryFeatures(DELAY);
        features.add(tx("0d10:00", "c1", "t1", 10, true));
        Instant due = at("0d10:00").plus(DELAY);

        float[] justBefore = features.featuresOf(new Transaction(due.toEpochMilli() - 1, "c2", "t1", 5, false));
        float[] onTime = features.featuresOf(new Transaction(due.toEpochMilli(), "c2", "t1", 5, false));

        assertThat(value(justBefore, "terminal_risk_30day_delayed")).isZero();
        assertThat(value(onTime, "terminal_risk_30day_delayed")).isEqualTo(1);
        // ... and leaves the 1-day shifted window exactly one day later.
        float[] dayLater = features.featuresOf(new Transaction(due.plus(Duration.ofDays(1)).toEpochMilli(), "c2",
                "t1", 5, false));
        assertThat(value(dayLater, "terminal_nb_tx_1day_delayed")).isZero();
        assertThat(value(dayLater, "terminal_nb_tx_7day_delayed")).isEqualTo(1);
    }

    @Test
    void aKnownFraudStreakRunsBackFromTheLatestKnownPaymentToItsFirstFraud() {
        TransactionHistoryFeatures features = new TransactionHistoryFeatures(DELAY);
        features.add(tx("0d00:00", "c1", "t1", 1, true));
        features.add(tx("1d00:00", "c2", "t1", 1, false));
        features.add(tx("2d00:00", "c3", "t1", 1, true));
        features.add(tx("3d00:00", "c4", "t1", 1, true));

        // Known up to 1d12:00: the latest known payment is legitimate, no streak.
        float[] early = features.featuresOf(tx("3d12:00", "c5", "t1", 1, false));
        // Known up to 3d12:00: frauds at 3d and 2d, broken by the legitimate payment of 1d.
        float[] late = features.featuresOf(tx("5d12:00", "c5", "t1", 1, false));

        assertThat(value(early, "terminal_days_in_known_fraud_streak")).isNaN();
        assertThat(value(early, "terminal_days_since_last_known_fraud")).isEqualTo(3.5f);
        assertThat(value(late, "terminal_days_in_known_fraud_streak")).isEqualTo(3.5f);
        assertThat(value(late, "terminal_days_since_last_known_fraud")).isEqualTo(2.5f);
        assertThat(value(late, "terminal_risk_7day_delayed")).isEqualTo(0.75f);
    }

    @Test
    void theMedianIsNotPulledUpByARunOfLargeAmounts() {
        TransactionHistoryFeatures features = new TransactionHistoryFeatures(DELAY);
        for (String when : List.of("0d10:00", "0d11:00", "0d12:00")) {
            features.add(tx(when, "c1", "t1", 20, false));
        }
        features.add(tx("0d13:00", "c1", "t1", 100, true));
        features.add(tx("0d14:00", "c1", "t1", 100, true));

        float[] next = features.featuresOf(tx("0d15:00", "c1", "t1", 100, true));

        assertThat(value(next, "customer_amount_to_median_30day")).isEqualTo(5f);
        assertThat(value(next, "customer_amount_to_mean_30day")).isCloseTo(100 / 52f, within(1e-6f));
    }

    @Test
    void weekendAndNightAsTheHandbookDefinesThem() {
        TransactionHistoryFeatures features = new TransactionHistoryFeatures(DELAY);
        float[] saturdayNight = features.next(tx("5d06:59", "c1", "t1", 1, false));
        float[] saturdayMorning = features.next(tx("5d07:00", "c1", "t1", 1, false));
        float[] mondayMidnight = features.next(tx("7d00:00", "c1", "t1", 1, false));

        assertThat(value(saturdayNight, "tx_during_weekend")).isEqualTo(1);
        assertThat(value(saturdayNight, "tx_during_night")).isEqualTo(1);
        assertThat(value(saturdayMorning, "tx_during_night")).isZero();
        assertThat(value(mondayMidnight, "tx_during_weekend")).isZero();
        assertThat(value(mondayMidnight, "tx_during_night")).isEqualTo(1);
    }

    @Test
    void paymentsLeaveTheCustomerWindowsAfterThirtyDays() {
        TransactionHistoryFeatures features = new TransactionHistoryFeatures(DELAY);
        features.add(tx("0d10:00", "c1", "t1", 100, false));
        float[] inside = features.featuresOf(tx("30d09:59", "c1", "t1", 10, false));
        float[] outside = features.featuresOf(tx("30d10:00", "c1", "t1", 10, false));

        assertThat(value(inside, "customer_nb_tx_30day")).isEqualTo(2);
        assertThat(value(inside, "customer_avg_amount_30day")).isEqualTo(55);
        assertThat(value(outside, "customer_nb_tx_30day")).isEqualTo(1);
        assertThat(value(outside, "customer_seconds_since_previous_tx")).isNaN();
    }

    /**
     * The windows read straight from their definitions over the payments up to each one: a feature
     * that saw a later payment (or a label younger than the delay) would differ.
     */
    @Test
    void matchesTheDefinitionsReadOverThePastOnly() {
        List<Transaction> history = randomHistory(new Random(3), 3_000);
        TransactionHistoryFeatures features = new TransactionHistoryFeatures(DELAY);
        long day = Duration.ofDays(1).toMillis();
        for (int i = 0; i < history.size(); i++) {
            Transaction tx = history.get(i);
            float[] actual = features.next(tx);
            List<Transaction> past = history.subList(0, i + 1);
            for (int days : new int[] {1, 7, 30}) {
                long from = tx.epochMillis() - days * day;
                List<Transaction> spent = past.stream().filter(p -> p.customerId().equals(tx.customerId())
                        && p.epochMillis() > from).toList();
                assertThat(value(actual, "customer_nb_tx_" + days + "day")).as("payment %d", i).isEqualTo(spent.size());
                assertThat(value(actual, "customer_avg_amount_" + days + "day")).as("payment %d", i).isCloseTo(
                        (float) spent.stream().mapToDouble(Transaction::amount).average().orElseThrow(), within(1e-3f));
                long known = tx.epochMillis() - DELAY.toMillis();
                List<Transaction> seen = past.stream().filter(p -> p.terminalId().equals(tx.terminalId())
                        && p.epochMillis() <= known && p.epochMillis() > known - days * day).toList();
                long frauds = seen.stream().filter(Transaction::fraud).count();
                assertThat(value(actual, "terminal_nb_tx_" + days + "day_delayed")).as("payment %d", i)
                        .isEqualTo(seen.size());
                assertThat(value(actual, "terminal_risk_" + days + "day_delayed")).as("payment %d", i)
                        .isEqualTo(seen.isEmpty() ? 0f : (float) frauds / seen.size());
            }
            long lastHour = tx.epochMillis() - Duration.ofHours(1).toMillis();
            assertThat(value(actual, "customer_nb_tx_1hour")).as("payment %d", i).isEqualTo(past.stream()
                    .filter(p -> p.customerId().equals(tx.customerId()) && p.epochMillis() > lastHour).count());
            assertThat(value(actual, "terminal_nb_tx_1day")).as("payment %d", i).isEqualTo(past.stream()
                    .filter(p -> p.terminalId().equals(tx.terminalId()) && p.epochMillis() > tx.epochMillis() - day)
                    .count());
        }
    }

    @Test
    void theLabelOfAPaymentYoungerThanTheDelayIsNeverRead() {
        List<Transaction> history = randomHistory(new Random(5), 2_000);
        Transaction last = history.get(history.size() - 1);
        TransactionHistoryFeatures truth = new TransactionHistoryFeatures(DELAY);
        TransactionHistoryFeatures flipped = new TransactionHistoryFeatures(DELAY);
        for (Transaction tx : history.subList(0, history.size() - 1)) {
            truth.add(tx);
            // The same history with every label of the last two days flipped.
            boolean recent = tx.epochMillis() > last.epochMillis() - DELAY.toMillis();
            flipped.add(new Transaction(tx.epochMillis(), tx.customerId(), tx.terminalId(), tx.amount(),
                    recent != tx.fraud()));
        }

        assertThat(flipped.featuresOf(last)).containsExactly(truth.featuresOf(last));
    }

    @Test
    void refusesToDescribeAPaymentOlderThanTheHistory() {
        TransactionHistoryFeatures features = new TransactionHistoryFeatures(DELAY);
        features.add(tx("1d00:00", "c1", "t1", 1, false));

        assertThatThrownBy(() -> features.featuresOf(tx("0d23:00", "c1", "t9", 1, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already holds");
        assertThatThrownBy(() -> features.add(tx("0d23:00", "c9", "t1", 1, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event-time order");
    }

    @Test
    void theViewNamesEveryFeatureOnceWithTheHandbooksFifteenFirst() {
        assertThat(TransactionHistoryFeatures.NAMES).doesNotHaveDuplicates().hasSize(TransactionHistoryFeatures.SIZE);
        assertThat(TransactionHistoryFeatures.NAMES.subList(0, 15)).containsExactly("tx_amount", "tx_during_weekend",
                "tx_during_night", "customer_nb_tx_1day", "customer_avg_amount_1day", "customer_nb_tx_7day",
                "customer_avg_amount_7day", "customer_nb_tx_30day", "customer_avg_amount_30day",
                "terminal_nb_tx_1day_delayed", "terminal_risk_1day_delayed", "terminal_nb_tx_7day_delayed",
                "terminal_risk_7day_delayed", "terminal_nb_tx_30day_delayed", "terminal_risk_30day_delayed");
        assertThat(TransactionHistoryFeatures.VIEW.id()).isEqualTo("transaction_history:v1");
    }

    /** Payments of a few customers at a few terminals over 40 days, in time order, 5 % fraud. */
    private static List<Transaction> randomHistory(Random random, int count) {
        List<Transaction> history = new ArrayList<>();
        long time = MONDAY.toEpochMilli();
        for (int i = 0; i < count; i++) {
            time += (long) (random.nextDouble() * Duration.ofDays(40).toMillis() / count);
            history.add(new Transaction(time, "c" + random.nextInt(20), "t" + random.nextInt(10),
                    Math.round(random.nextDouble() * 20_000) / 100.0, random.nextDouble() < 0.05));
        }
        return history;
    }

    private static Transaction tx(String when, String customer, String terminal, double amount, boolean fraud) {
        return new Transaction(at(when).toEpochMilli(), customer, terminal, amount, fraud);
    }

    /** {@code "2d09:30"}: 2 days, 9 h 30 min after Monday midnight. */
    private static Instant at(String when) {
        int d = when.indexOf('d');
        return MONDAY.plus(Duration.ofDays(Long.parseLong(when.substring(0, d))))
                .plus(Duration.ofHours(Long.parseLong(when.substring(d + 1, d + 3))))
                .plus(Duration.ofMinutes(Long.parseLong(when.substring(d + 4))));
    }

    private static float value(float[] features, String name) {
        int index = TransactionHistoryFeatures.NAMES.indexOf(name);
        assertThat(index).as(name).isNotNegative();
        return features[index];
    }
}
