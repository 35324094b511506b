package dev.mlplatform.simulators.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.TransactionValidator;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TransactionSimulatorTest {

    private static final SimulationConfig CONFIG = SimulationConfig.of(1_000, 2_000, LocalDate.of(2026, 1, 1), 7);

    @Test
    void sameSeedGivesTheSameStream() {
        List<LabelledTransaction> first = new TransactionSimulator(CONFIG).generate(3);
        List<LabelledTransaction> second = new TransactionSimulator(CONFIG).generate(3);
        assertThat(first).isNotEmpty().isEqualTo(second);
    }

    @Test
    void streamIsOrderedByEventTimeAndEveryTransactionIsValid() {
        List<LabelledTransaction> transactions = new TransactionSimulator(CONFIG).generate(5);
        Instant previous = Instant.MIN;
        for (LabelledTransaction labelled : transactions) {
            assertThat(labelled.transaction().timestamp()).isAfterOrEqualTo(previous);
            previous = labelled.transaction().timestamp();
            assertThat(TransactionValidator.validate(labelled.transaction(), Instant.MAX.minusSeconds(3600)))
                    .as(labelled.transaction().toString()).isEmpty();
        }
        assertThat(transactions.stream().map(t -> t.transaction().transactionId()).distinct())
                .hasSize(transactions.size());
    }

    @Test
    void everyScenarioAppearsAndFraudIsRare() {
        List<LabelledTransaction> transactions = new TransactionSimulator(CONFIG).generate(20);
        Map<FraudScenario, Long> byScenario = transactions.stream()
                .collect(Collectors.groupingBy(LabelledTransaction::scenario, Collectors.counting()));
        assertThat(byScenario.keySet()).containsExactlyInAnyOrder(FraudScenario.values());
        double fraudRate = transactions.stream().filter(LabelledTransaction::fraud).count() / (double) transactions.size();
        assertThat(fraudRate).isBetween(0.002, 0.08);
        assertThat(transactions.stream().filter(t -> t.scenario() == FraudScenario.LARGE_AMOUNT))
                .allMatch(t -> t.transaction().amount().doubleValue() > TransactionSimulator.LARGE_AMOUNT_LIMIT);
    }

    @Test
    void cardTestingBurstsAreManyPaymentsOfOneCardWithinMinutes() {
        List<LabelledTransaction> bursts = new TransactionSimulator(CONFIG).generate(3).stream()
                .filter(t -> t.scenario() == FraudScenario.CARD_TESTING_BURST).toList();
        Map<String, List<LabelledTransaction>> byDevice = bursts.stream()
                .collect(Collectors.groupingBy(t -> t.transaction().deviceId()));
        assertThat(byDevice).isNotEmpty();
        byDevice.values().forEach(burst -> {
            assertThat(burst.size()).isBetween(5, 15);
            assertThat(burst.stream().map(t -> t.transaction().cardNumber()).distinct()).hasSize(1);
            Duration span = Duration.between(burst.get(0).transaction().timestamp(),
                    burst.get(burst.size() - 1).transaction().timestamp());
            assertThat(span).isLessThan(Duration.ofMinutes(7));
        });
    }

    @Test
    void cardNumbersPassTheLuhnCheck() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 1_000; i++) {
            String number = TransactionSimulator.cardNumber(random);
            assertThat(number).hasSize(16);
            assertThat(luhn(number)).isTrue();
        }
    }

    private static boolean luhn(String digits) {
        int sum = 0;
        for (int i = digits.length() - 1, position = 0; i >= 0; i--, position++) {
            int d = digits.charAt(i) - '0';
            sum += position % 2 == 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d;
        }
        return sum % 10 == 0;
    }

}
