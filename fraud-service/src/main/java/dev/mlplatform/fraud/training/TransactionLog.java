package dev.mlplatform.fraud.training;

import dev.mlplatform.featurestore.definitions.TransactionHistoryFeatures.Transaction;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.stream.IntStream;

/**
 * Historical transactions in event-time order, held column by column (about 30 bytes a row: the
 * handbook's four months take some 35 MB) with customer and terminal ids stored once each.
 *
 * @param source the file read, for messages and lineage
 * @param sha256 the file's content hash, for lineage
 */
public record TransactionLog(String source, String sha256, long[] epochMillis, int[] customer, int[] terminal,
                             double[] amount, boolean[] fraud, String[] customerIds, String[] terminalIds) {

    static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    public int size() {
        return epochMillis.length;
    }

    public Transaction transaction(int row) {
        return new Transaction(epochMillis[row], customerIds[customer[row]], terminalIds[terminal[row]], amount[row],
                fraud[row]);
    }

    public LocalDate firstDay() {
        return dayOf(epochMillis[0]);
    }

    public LocalDate lastDay() {
        return dayOf(epochMillis[size() - 1]);
    }

    static LocalDate dayOf(long epochMillis) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochMillis, DAY_MILLIS));
    }

    static long startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** Builds a log column by column; rows may come in any order. */
    static final class Builder {

        private final String source;
        private long[] times = new long[1 << 16];
        private int[] customers = new int[times.length];
        private int[] terminals = new int[times.length];
        private double[] amounts = new double[times.length];
        private boolean[] frauds = new boolean[times.length];
        private final IdDictionary customerIds = new IdDictionary();
        private final IdDictionary terminalIds = new IdDictionary();
        private int size;
        private boolean ordered = true;

        Builder(String source) {
            this.source = source;
        }

        void add(long epochMillis, String customerId, String terminalId, double amount, boolean fraud) {
            if (size == times.length) {
                int capacity = times.length * 2;
                times = Arrays.copyOf(times, capacity);
                customers = Arrays.copyOf(customers, capacity);
                terminals = Arrays.copyOf(terminals, capacity);
                amounts = Arrays.copyOf(amounts, capacity);
                frauds = Arrays.copyOf(frauds, capacity);
            }
            if (size > 0 && epochMillis < times[size - 1]) {
                ordered = false;
            }
            times[size] = epochMillis;
            customers[size] = customerIds.indexOf(customerId);
            terminals[size] = terminalIds.indexOf(terminalId);
            amounts[size] = amount;
            frauds[size] = fraud;
            size++;
        }

        int size() {
            return size;
        }

        /** The log in event-time order; rows at the same time keep the file's order. */
        TransactionLog build(String sha256) {
            if (size == 0) {
                throw new DataFileException(source + " holds no transactions");
            }
            if (ordered) {
                return new TransactionLog(source, sha256, Arrays.copyOf(times, size), Arrays.copyOf(customers, size),
                        Arrays.copyOf(terminals, size), Arrays.copyOf(amounts, size), Arrays.copyOf(frauds, size),
                        customerIds.ids(), terminalIds.ids());
            }
            int[] order = IntStream.range(0, size).boxed()
                    .sorted(Comparator.comparingLong((Integer row) -> times[row]))
                    .mapToInt(Integer::intValue).toArray();
            long[] sortedTimes = new long[size];
            int[] sortedCustomers = new int[size];
            int[] sortedTerminals = new int[size];
            double[] sortedAmounts = new double[size];
            boolean[] sortedFrauds = new boolean[size];
            for (int i = 0; i < size; i++) {
                sortedTimes[i] = times[order[i]];
                sortedCustomers[i] = customers[order[i]];
                sortedTerminals[i] = terminals[order[i]];
                sortedAmounts[i] = amounts[order[i]];
                sortedFrauds[i] = frauds[order[i]];
            }
            return new TransactionLog(source, sha256, sortedTimes, sortedCustomers, sortedTerminals, sortedAmounts,
                    sortedFrauds, customerIds.ids(), terminalIds.ids());
        }
    }

    /** Each distinct id once, numbered in order of first appearance. */
    private static final class IdDictionary {

        private final HashMap<String, Integer> indexes = new HashMap<>();

        int indexOf(String id) {
            Integer index = indexes.get(id);
            if (index == null) {
                index = indexes.size();
                indexes.put(id, index);
            }
            return index;
        }

        String[] ids() {
            String[] ids = new String[indexes.size()];
            indexes.forEach((id, index) -> ids[index] = id);
            return ids;
        }
    }
}
