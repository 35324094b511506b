package dev.mlplatform.fraud.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.CardTokenizer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

class DeadLetterRecovererTest {

    private final CardTokenizer tokenizer = new CardTokenizer("test-key");
    private final DeadLetterRecoverer recoverer = new DeadLetterRecoverer(
            new KafkaTemplate<>(new DefaultKafkaProducerFactory<String, byte[]>(Map.of())), "dlq", tokenizer);

    private String mask(String value) {
        return new String(recoverer.mask(value.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void replacesTheCardNumberOfAJsonRecordByItsToken() {
        String masked = mask("{\"transactionId\": \"tx-1\", \"cardNumber\": \"4111111111111111\", \"amount\": -5}");

        assertThat(masked).doesNotContain("4111111111111111").doesNotContain("cardNumber")
                .contains("\"cardToken\":\"" + tokenizer.tokenize("4111111111111111") + "\"")
                .contains("\"amount\":-5");
    }

    @Test
    void redactsCardNumbersElsewhereInAJsonRecord() {
        String masked = mask("{\"note\": \"card 4111-1111-1111-1111 again\", \"nested\": {\"x\": \"5500 0000 0000 0004\"}}");

        assertThat(masked).doesNotContain("4111-1111").doesNotContain("5500 0000").contains("[card number redacted]");
    }

    @Test
    void redactsCardNumbersInARecordThatIsNotJson() {
        String masked = mask("transactionId=tx-1;cardNumber=4111111111111111;amount=");

        assertThat(masked).isEqualTo("transactionId=tx-1;cardNumber=[card number redacted];amount=");
    }

    @Test
    void leavesShortNumbersAlone() {
        assertThat(DeadLetterRecoverer.maskText("amount 12345.67 at 2026-01-01T10:00:00Z"))
                .isEqualTo("amount 12345.67 at 2026-01-01T10:00:00Z");
    }
}
