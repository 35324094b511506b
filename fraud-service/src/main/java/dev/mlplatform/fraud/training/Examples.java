package dev.mlplatform.fraud.training;

import java.time.LocalDate;
import java.util.function.IntPredicate;

/**
 * Labelled transactions as a model sees them: one row of features each, with the label and what the
 * handbook's protocol groups them by (customer and day).
 *
 * @param features  one row per transaction, in {@code TransactionHistoryFeatures.NAMES} order
 * @param labels    1 for fraud, else 0
 * @param customers the customer of each row
 * @param days      the day of each row
 */
public record Examples(float[][] features, float[] labels, String[] customers, LocalDate[] days) {

    public Examples {
        int n = features.length;
        if (labels.length != n || customers.length != n || days.length != n) {
            throw new IllegalArgumentException("columns of different lengths: " + n + " rows, " + labels.length
                    + " labels, " + customers.length + " customers, " + days.length + " days");
        }
    }

    public int size() {
        return features.length;
    }

    public int frauds() {
        int count = 0;
        for (float label : labels) {
            if (label == 1f) {
                count++;
            }
        }
        return count;
    }

    /** The rows for which {@code keep} holds, in order. */
    public Examples where(IntPredicate keep) {
        int n = 0;
        for (int i = 0; i < size(); i++) {
            if (keep.test(i)) {
                n++;
            }
        }
        float[][] keptFeatures = new float[n][];
        float[] keptLabels = new float[n];
        String[] keptCustomers = new String[n];
        LocalDate[] keptDays = new LocalDate[n];
        int j = 0;
        for (int i = 0; i < size(); i++) {
            if (keep.test(i)) {
                keptFeatures[j] = features[i];
                keptLabels[j] = labels[i];
                keptCustomers[j] = customers[i];
                keptDays[j] = days[i];
                j++;
            }
        }
        return new Examples(keptFeatures, keptLabels, keptCustomers, keptDays);
    }

    /** The rows of the days in {@code [from, to)}. */
    public Examples between(LocalDate from, LocalDate to) {
        return where(i -> !days[i].isBefore(from) && days[i].isBefore(to));
    }
}
