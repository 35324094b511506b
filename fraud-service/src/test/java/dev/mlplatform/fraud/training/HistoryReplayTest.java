package dev.mlplatform.fraud.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.featurestore.definitions.TransactionHistoryFeatures;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistoryReplayTest {

    private static final Duration DELAY = Duration.ofDays(3);
    private static final LocalDate FROM = LocalDate.of(2018, 5, 10);
    private static final LocalDate TO = LocalDate.of(2018, 5, 20);

    @Test
    void describesTheAskedDaysWithAllTheHistoryBeforeThem() {
        TransactionLog log = randomLog(4_000, 4_000);

        Examples examples = HistoryReplay.replay(log, DELAY, FROM, TO, line -> { });

        int inRange = 0;
        for (int row = 0; row < log.size(); row++) {
            LocalDate day = TransactionLog.dayOf(log.epochMillis()[row]);
            if (!day.isBefore(FROM) && day.isBefore(TO)) {
                inRange++;
            }
        }
        assertThat(examples.size()).isEqualTo(inRange).isPositive();
        assertThat(examples.days()).allMatch(day -> !day.isBefore(FROM) && day.isBefore(TO));
        // Customers seen in April carry their 30-day history into the first day asked for.
        int monthCount = TransactionHistoryFeatures.NAMES.indexOf("customer_nb_tx_30day");
        assertThat(examples.features()[0][monthCount]).isGreaterThan(1);
    }

    /**
     * Each transaction's features from the whole file equal those from the file cut right after it: nothing
     * later in the file (a later transaction, a label) reaches them.
     */
    @Test
    void nothingLaterInTheFileReachesATransactionsFeatures() {
        TransactionLog full = randomLog(4_000, 4_000);
        Examples all = HistoryReplay.replay(full, DELAY, FROM, TO, line -> { });
        int firstRow = full.size() - all.size() - countAfter(full, TO);

        for (int example = 0; example < all.size(); example += 97) {
            int row = firstRow + example;
            TransactionLog cut = randomLog(4_000, row + 1);
            Examples truncated = HistoryReplay.replay(cut, DELAY, FROM, TO, line -> { });

            assertThat(truncated.features()[truncated.size() - 1]).as("transaction %d", row)
                    .containsExactly(all.features()[example]);
        }
    }

    private static int countAfter(TransactionLog log, LocalDate day) {
        int count = 0;
        for (long time : log.epochMillis()) {
            if (!TransactionLog.dayOf(time).isBefore(day)) {
                count++;
            }
        }
        return count;
    }

    /** The first {@code keep} of {@code count} random transactions over April and May 2018, 3 % fraud. */
    private static TransactionLog randomLog(int count, int keep) {
        Random random = new Random(11);
        TransactionLog.Builder builder = new TransactionLog.Builder("random");
        long start = Instant.parse("2018-04-01T00:00:00Z").toEpochMilli();
        long span = Duration.ofDays(60).toMillis();
        long time = start;
        for (int i = 0; i < count; i++) {
            time += (long) (random.nextDouble() * 2 * span / count);
            String customer = "c" + random.nextInt(40);
            String terminal = "t" + random.nextInt(25);
            double amount = Math.round(random.nextDouble() * 15_000) / 100.0;
            boolean fraud = random.nextDouble() < 0.03;
            if (i < keep) {
                builder.add(time, customer, terminal, amount, fraud);
            }
        }
        return builder.build("0".repeat(64));
    }
}
