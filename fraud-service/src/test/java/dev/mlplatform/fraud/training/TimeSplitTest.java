package dev.mlplatform.fraud.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeSplitTest {

    private static final LocalDate JULY_1 = LocalDate.of(2018, 7, 1);

    /** Train July 1-2, delay July 3-4, test July 5-7. */
    private final TimeSplit split = new TimeSplit(JULY_1, 2, 2, 3);

    @Test
    void periodsFollowOneAnotherDayByDay() {
        assertThat(split.trainEnd()).isEqualTo(LocalDate.of(2018, 7, 3));
        assertThat(split.testStart()).isEqualTo(LocalDate.of(2018, 7, 5));
        assertThat(split.testEnd()).isEqualTo(LocalDate.of(2018, 7, 8));
        // A day runs from midnight to midnight, UTC.
        assertThat(TransactionLog.dayOf(Instant.parse("2018-07-02T23:59:59.999Z").toEpochMilli()))
                .isEqualTo(LocalDate.of(2018, 7, 2));
        assertThat(TransactionLog.dayOf(Instant.parse("2018-07-03T00:00:00Z").toEpochMilli()))
                .isEqualTo(LocalDate.of(2018, 7, 3));
    }

    @Test
    void trainsOnTheTrainingDaysOnly() {
        Rows rows = new Rows()
                .add("e", "2018-06-30", false)
                .add("e", "2018-07-01", false)
                .add("e", "2018-07-02", true)
                .add("e", "2018-07-03", false);

        Examples train = split.train(rows.examples());

        assertThat(train.days()).containsExactly(LocalDate.of(2018, 7, 1), LocalDate.of(2018, 7, 2));
        assertThat(train.frauds()).isEqualTo(1);
    }

    @Test
    void testsWithoutTheCustomersKnownCompromisedOnEachDay() {
        Rows rows = new Rows()
                .add("c", "2018-06-30", true)  // before training: not in the handbook's known set
                .add("a", "2018-07-01", true)  // in training: known on every test day
                .add("b", "2018-07-03", true)  // first delay day: known once older than the 2-day delay
                .add("e", "2018-07-04", false);
        for (String day : List.of("2018-07-05", "2018-07-06", "2018-07-07", "2018-07-08")) {
            for (String customer : List.of("a", "b", "c", "d", "e")) {
                rows.add(customer, day, customer.equals("d"));
            }
        }

        Examples test = split.test(rows.examples());

        assertThat(pairs(test)).containsExactly(
                // July 5: b's fraud of July 3 is not older than the delay yet.
                "2018-07-05 b", "2018-07-05 c", "2018-07-05 d", "2018-07-05 e",
                // From July 6 it is; d's own frauds on test days are not known before July 8.
                "2018-07-06 c", "2018-07-06 d", "2018-07-06 e",
                "2018-07-07 c", "2018-07-07 d", "2018-07-07 e");
        assertThat(test.frauds()).isEqualTo(3);
    }

    @Test
    void validatesOnTheLastTrainingDaysWithoutDelay() {
        TimeSplit week = new TimeSplit(JULY_1, 7, 7, 7);
        TimeSplit validation = week.validation();

        assertThat(validation).isEqualTo(new TimeSplit(JULY_1, 5, 0, 2));
        assertThat(new TimeSplit(JULY_1, 3, 7, 2).validation()).isEqualTo(new TimeSplit(JULY_1, 2, 0, 1));
        Rows rows = new Rows()
                .add("a", "2018-07-02", true)
                .add("a", "2018-07-06", false)
                .add("b", "2018-07-06", true)
                .add("b", "2018-07-07", true);
        // On July 7, b's fraud of July 6 is known: a model in production would have blocked the card.
        assertThat(pairs(validation.test(rows.examples()))).containsExactly("2018-07-06 b");
        assertThatThrownBy(() -> new TimeSplit(JULY_1, 1, 7, 7).validation())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 training days");
    }

    private static List<String> pairs(Examples examples) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            pairs.add(examples.days()[i] + " " + examples.customers()[i]);
        }
        return pairs;
    }

    /** Examples in the order added, one feature each. */
    static final class Rows {

        private final List<String> customers = new ArrayList<>();
        private final List<LocalDate> days = new ArrayList<>();
        private final List<Boolean> frauds = new ArrayList<>();

        Rows add(String customer, String day, boolean fraud) {
            customers.add(customer);
            days.add(LocalDate.parse(day));
            frauds.add(fraud);
            return this;
        }

        Examples examples() {
            int n = customers.size();
            float[][] features = new float[n][1];
            float[] labels = new float[n];
            for (int i = 0; i < n; i++) {
                labels[i] = frauds.get(i) ? 1 : 0;
            }
            return new Examples(features, labels, customers.toArray(String[]::new), days.toArray(LocalDate[]::new));
        }
    }
}
