package dev.mlplatform.fraud.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A small file in the handbook's format with its two learnable frauds: amounts over 220, and terminals
 * compromised for 10 days (every payment there is a fraud). 3,000 customers, 300 terminals, about 900
 * payments a day from April 1, 2018.
 */
public final class SyntheticTransactions {

    static final String HEADER = "transaction_id,tx_datetime,customer_id,terminal_id,tx_amount,tx_fraud,tx_fraud_scenario";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private SyntheticTransactions() {
    }

    public static Path write(Path file, int days) {
        Random random = new Random(17);
        double[] usualAmount = new double[3_000];
        for (int c = 0; c < usualAmount.length; c++) {
            usualAmount[c] = 5 + random.nextDouble() * 95;
        }
        Map<Integer, Integer> compromisedUntil = new HashMap<>();
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        LocalDateTime start = LocalDateTime.of(2018, 4, 1, 0, 0);
        long id = 0;
        for (int day = 0; day < days; day++) {
            compromisedUntil.put(random.nextInt(300), day + 10);
            int payments = 800 + random.nextInt(200);
            int[] seconds = random.ints(payments, 0, 86_400).sorted().toArray();
            for (int second : seconds) {
                int customer = random.nextInt(usualAmount.length);
                int terminal = random.nextInt(300);
                double amount = Math.max(0.5, usualAmount[customer] * (1 + 0.5 * random.nextGaussian()));
                int scenario = amount > 220 ? 1 : compromisedUntil.getOrDefault(terminal, -1) > day ? 2 : 0;
                csv.append(id++).append(',').append(TIME.format(start.plusDays(day).plusSeconds(second))).append(',')
                        .append(customer).append(',').append(terminal).append(',')
                        .append(String.format(Locale.ROOT, "%.2f", amount)).append(',')
                        .append(scenario > 0 ? 1 : 0).append(',').append(scenario).append('\n');
            }
        }
        try {
            return Files.writeString(file, csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
