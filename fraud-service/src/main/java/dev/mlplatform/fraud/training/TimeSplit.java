package dev.mlplatform.fraud.training;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * The handbook's split by time ({@code get_train_delay_test_set}): train on the days
 * {@code [trainStart, +trainDays)}, wait {@code delayDays} while their labels arrive, test on the next
 * {@code testDays}.
 *
 * <p>Customers already known to be compromised are not scored on a test day: on day {@code T}, the
 * labels of the days before {@code T - delayDays} are known, so a customer with a fraud on any day from
 * {@code trainStart} up to then is removed — the handbook's rolling set {@code known_defrauded_customers}.
 * With a delay at least as long as the test, that is a customer with a fraud in the training or delay
 * period (from the first test day on, some of the delay period's frauds are still unknown, so they are
 * removed only from the later test days).
 */
public record TimeSplit(LocalDate trainStart, int trainDays, int delayDays, int testDays) {

    /** The share of the training days that chooses hyper-parameters: the last 2 of 7. */
    private static final double VALIDATION_SHARE = 2 / 7.0;

    public TimeSplit {
        if (trainDays < 1 || delayDays < 0 || testDays < 1) {
            throw new IllegalArgumentException("need at least 1 training day, 1 test day and no negative delay: "
                    + "train " + trainDays + ", delay " + delayDays + ", test " + testDays);
        }
    }

    public LocalDate trainEnd() {
        return trainStart.plusDays(trainDays);
    }

    public LocalDate testStart() {
        return trainEnd().plusDays(delayDays);
    }

    public LocalDate testEnd() {
        return testStart().plusDays(testDays);
    }

    /** The training rows: every transaction of the training days. */
    public Examples train(Examples all) {
        return all.between(trainStart, trainEnd());
    }

    /**
     * The test rows: the transactions of the test days, less those of customers known compromised on
     * their day. {@code all} must hold every transaction from {@link #trainStart} to {@link #testEnd}.
     */
    public Examples test(Examples all) {
        Map<String, LocalDate> firstFraud = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            if (all.labels()[i] == 1f && !all.days()[i].isBefore(trainStart)) {
                firstFraud.merge(all.customers()[i], all.days()[i], (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        LocalDate testStart = testStart();
        LocalDate testEnd = testEnd();
        return all.where(i -> {
            LocalDate day = all.days()[i];
            if (day.isBefore(testStart) || !day.isBefore(testEnd)) {
                return false;
            }
            LocalDate fraud = firstFraud.get(all.customers()[i]);
            return fraud == null || !fraud.isBefore(day.minusDays(delayDays));
        });
    }

    /**
     * The split inside the training days that chooses hyper-parameters, so that the test days never do:
     * the last of them (2 of 7, at least 1) validate a model trained on the others, with the same removal
     * of known compromised customers and no delay (all training labels are known when the model is trained).
     *
     * @throws IllegalArgumentException with a single training day, which leaves nothing to validate on
     */
    public TimeSplit validation() {
        if (trainDays < 2) {
            throw new IllegalArgumentException("choosing hyper-parameters needs at least 2 training days: the last "
                    + "validate a model trained on the others");
        }
        int validationDays = Math.max(1, (int) Math.round(trainDays * VALIDATION_SHARE));
        return new TimeSplit(trainStart, trainDays - validationDays, 0, validationDays);
    }

    @Override
    public String toString() {
        return "train " + trainStart + " to " + trainEnd().minusDays(1) + ", delay " + delayDays + " days, test "
                + testStart() + " to " + testEnd().minusDays(1);
    }
}
