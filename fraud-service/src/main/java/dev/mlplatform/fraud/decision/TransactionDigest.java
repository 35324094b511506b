package dev.mlplatform.fraud.decision;

import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.TransactionEvent;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A digest of a tokenised transaction's content, insensitive to how the client wrote it (amount
 * {@code 42.5} or {@code 42.50}, spaces in the card number): equal for a replay, different for
 * another transaction that reuses the id.
 */
public final class TransactionDigest {

    private TransactionDigest() {
    }

    public static String of(TransactionEvent tokenized) {
        if (tokenized.cardNumber() != null) {
            throw new IllegalArgumentException("digest the tokenised transaction, not the card number");
        }
        TransactionEvent canonical = new TransactionEvent(tokenized.transactionId(), null, tokenized.cardToken(),
                tokenized.customerId(), tokenized.merchantId(), tokenized.terminalId(), tokenized.mcc(),
                tokenized.amount() == null ? null : tokenized.amount().setScale(2, RoundingMode.UNNECESSARY),
                tokenized.currency(), tokenized.timestamp(), tokenized.channel(), tokenized.deviceId(), tokenized.ip(),
                tokenized.location(), tokenized.country(), tokenized.authentication());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(EventJson.MAPPER.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
