package dev.mlplatform.jobs.fraud;

import static dev.mlplatform.jobs.fraud.Transactions.VISA;
import static dev.mlplatform.jobs.fraud.Transactions.json;
import static dev.mlplatform.jobs.fraud.Transactions.token;
import static dev.mlplatform.jobs.fraud.Transactions.tokenized;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.jobs.common.DeadLetter;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ParseFunctionTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private OneInputStreamOperatorTestHarness<String, TransactionEvent> harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new FraudFeatureJob.ParseFunction());
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void replacesTheCardNumberByItsToken() throws Exception {
        harness.processElement(json("tx-1", VISA, T0, "42.50"), 0);

        assertThat(harness.extractOutputValues()).containsExactly(tokenized("tx-1", VISA, T0, "42.50"));
        assertThat(harness.extractOutputValues().get(0).cardNumber()).isNull();
        assertThat(harness.extractOutputValues().get(0).cardKey()).isEqualTo(token(VISA));
    }

    @Test
    void turnsEveryKindOfBadRecordIntoADeadLetterAndKeepsGoing() throws Exception {
        String truncated = json("tx-1", VISA, T0, "42.50").substring(0, 40);
        String negative = json("tx-2", VISA, T0, "-5.00");
        String unknownField = json("tx-3", VISA, T0, "5.00").replace("\"country\"", "\"countryCode\"");
        String array = "[1, 2, 3]";

        for (String bad : List.of(truncated, negative, unknownField, array, "", "null")) {
            harness.processElement(bad, 0);
        }
        harness.processElement(json("tx-4", VISA, T0, "1.00"), 0);

        List<DeadLetter> letters = harness.getSideOutput(FraudFeatureJob.DEAD_LETTERS).stream()
                .map(StreamRecord::getValue).toList();
        assertThat(letters).extracting(DeadLetter::error).satisfiesExactly(
                error -> assertThat(error).startsWith("malformed JSON"),
                error -> assertThat(error).isEqualTo("invalid transaction: amount must be greater than 0"),
                error -> assertThat(error).startsWith("malformed JSON").contains("countryCode"),
                error -> assertThat(error).startsWith("malformed JSON"),
                error -> assertThat(error).isEqualTo("empty record"),
                error -> assertThat(error).isEqualTo("not a transaction object"));
        assertThat(harness.extractOutputValues()).extracting(TransactionEvent::transactionId).containsExactly("tx-4");
    }

    @Test
    void masksCardNumbersInDeadLetters() throws Exception {
        String bad = "{\"cardNumber\": \"4111 1111 1111 1111\", \"also\": \"5555-5555-5555-4444\", \"amount\": 12345678901";

        harness.processElement(bad, 0);

        String payload = harness.getSideOutput(FraudFeatureJob.DEAD_LETTERS).peek().getValue().payload();
        assertThat(payload).doesNotContain("4111", "5555").contains(token(VISA)).contains(token("5555555555554444"))
                // 11 digits cannot be a card number: left as it was.
                .contains("12345678901");
    }
}
