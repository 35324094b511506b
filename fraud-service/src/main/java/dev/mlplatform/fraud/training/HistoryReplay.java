package dev.mlplatform.fraud.training;

import dev.mlplatform.featurestore.definitions.TransactionHistoryFeatures;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Replays a transaction log in event-time order through the one feature calculator the streaming side
 * uses ({@link TransactionHistoryFeatures}): each transaction is described by the history before it,
 * then joins that history. Everything before the first day asked for only builds history, as a feature
 * job that has been running since the log began would have it.
 */
public final class HistoryReplay {

    private static final int PROGRESS_EVERY = 250_000;

    private HistoryReplay() {
    }

    /** The examples of the days {@code [from, to)}, with features from all the history before each. */
    public static Examples replay(TransactionLog log, Duration labelDelay, LocalDate from, LocalDate to,
                                  Consumer<String> progress) {
        TransactionHistoryFeatures calculator = new TransactionHistoryFeatures(labelDelay);
        long start = TransactionLog.startOf(from);
        long end = TransactionLog.startOf(to);
        List<float[]> features = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        for (int row = 0; row < log.size() && log.epochMillis()[row] < end; row++) {
            if (log.epochMillis()[row] < start) {
                calculator.add(log.transaction(row));
            } else {
                features.add(calculator.next(log.transaction(row)));
                rows.add(row);
            }
            if ((row + 1) % PROGRESS_EVERY == 0) {
                progress.accept(String.format("features: %,d transactions replayed, %,d described ...", row + 1,
                        features.size()));
            }
        }
        int n = rows.size();
        float[] labels = new float[n];
        String[] customers = new String[n];
        LocalDate[] days = new LocalDate[n];
        for (int i = 0; i < n; i++) {
            int row = rows.get(i);
            labels[i] = log.fraud()[row] ? 1 : 0;
            customers[i] = log.customerIds()[log.customer()[row]];
            days[i] = TransactionLog.dayOf(log.epochMillis()[row]);
        }
        progress.accept(String.format("features: %d per transaction computed for %,d transactions from %s to %s",
                TransactionHistoryFeatures.SIZE, n, from, to.minusDays(1)));
        return new Examples(features.toArray(float[][]::new), labels, customers, days);
    }
}
