package dev.mlplatform.fraud.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.core.events.CardTokenizer;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.fraud.Transactions;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TransactionDigestTest {

    private final CardTokenizer tokenizer = new CardTokenizer("test-key");

    @Test
    void isTheSameForTheSameTransactionWrittenDifferently() {
        TransactionEvent tx = Transactions.transaction("42.50", Instant.parse("2026-01-01T10:00:00Z"));
        TransactionEvent rewritten = new TransactionEvent(tx.transactionId(),
                tx.cardNumber().substring(0, 4) + " " + tx.cardNumber().substring(4), null, tx.customerId(),
                tx.merchantId(), tx.terminalId(), tx.mcc(), new BigDecimal("42.5"), tx.currency(), tx.timestamp(),
                tx.channel(), tx.deviceId(), tx.ip(), tx.location(), tx.country());
        assertThat(TransactionDigest.of(rewritten.tokenized(tokenizer)))
                .isEqualTo(TransactionDigest.of(tx.tokenized(tokenizer)));
    }

    @Test
    void differsWhenTheContentDiffers() {
        TransactionEvent tx = Transactions.transaction("42.50", Instant.parse("2026-01-01T10:00:00Z"));
        TransactionEvent other = new TransactionEvent(tx.transactionId(), tx.cardNumber(), null, tx.customerId(),
                tx.merchantId(), tx.terminalId(), tx.mcc(), new BigDecimal("42.51"), tx.currency(), tx.timestamp(),
                tx.channel(), tx.deviceId(), tx.ip(), tx.location(), tx.country());
        assertThat(TransactionDigest.of(other.tokenized(tokenizer))).isNotEqualTo(TransactionDigest.of(tx.tokenized(tokenizer)));
    }

    @Test
    void refusesATransactionThatStillHoldsItsCardNumber() {
        TransactionEvent tx = Transactions.transaction("1.00", Instant.parse("2026-01-01T10:00:00Z"));
        assertThatThrownBy(() -> TransactionDigest.of(tx)).isInstanceOf(IllegalArgumentException.class);
    }
}
