package dev.mlplatform.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CardTokenizerTest {

    private final CardTokenizer tokenizer = new CardTokenizer("test-key");

    @Test
    void sameCardGivesTheSameTokenWhateverItsSpacing() {
        assertThat(tokenizer.tokenize("4111 1111-1111 1111")).isEqualTo(tokenizer.tokenize("4111111111111111"));
    }

    @Test
    void tokenRevealsNoDigitsOfTheCard() {
        String token = tokenizer.tokenize("4111111111111111");
        assertThat(token).matches("ct_[0-9a-f]{32}").doesNotContain("1111");
    }

    @Test
    void anotherKeyGivesAnotherToken() {
        assertThat(new CardTokenizer("other-key").tokenize("4111111111111111"))
                .isNotEqualTo(tokenizer.tokenize("4111111111111111"));
    }

    @Test
    void tokenisingFromManyThreadsGivesTheSameTokens() {
        Set<String> tokens = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 10_000).parallel().forEach(i -> tokens.add(tokenizer.tokenize("4111111111111111")));
        assertThat(tokens).containsExactly(tokenizer.tokenize("4111111111111111"));
    }

    @Test
    void refusesAnEmptyKey() {
        assertThatThrownBy(() -> new CardTokenizer(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eventWithATokenNeverPrintsTheCardNumber() {
        TransactionEvent event = TransactionValidatorTest.valid();
        assertThat(event.toString()).doesNotContain(event.cardNumber());
        TransactionEvent tokenized = event.tokenized(tokenizer);
        assertThat(tokenized.cardNumber()).isNull();
        assertThat(tokenized.cardKey()).isEqualTo(tokenizer.tokenize(event.cardNumber()));
    }
}
