package dev.mlplatform.core.events;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A card transaction, version 1 of {@code fraud.transactions.v1}, as clients and producers send it.
 *
 * <p>Producers may send the raw {@code cardNumber}; every consumer replaces it with
 * {@code cardToken} (see {@link CardTokenizer}) before anything is stored, logged or forwarded.
 */
public record TransactionEvent(
        String transactionId,
        String cardNumber,
        String cardToken,
        String customerId,
        String merchantId,
        String terminalId,
        String mcc,
        BigDecimal amount,
        String currency,
        Instant timestamp,
        String channel,
        String deviceId,
        String ip,
        GeoPoint location,
        String country) {

    /** A latitude/longitude pair in degrees. */
    public record GeoPoint(double lat, double lon) {
    }

    /** The same transaction with the card number replaced by its token. */
    public TransactionEvent tokenized(CardTokenizer tokenizer) {
        if (cardNumber == null) {
            return this;
        }
        return new TransactionEvent(transactionId, null, tokenizer.tokenize(cardNumber), customerId, merchantId,
                terminalId, mcc, amount, currency, timestamp, channel, deviceId, ip, location, country);
    }

    /** The key a consumer partitions and aggregates by: the card token. */
    public String cardKey() {
        return cardToken;
    }

    @Override
    public String toString() {
        // Never print the card number, even by accident in a log line.
        return "TransactionEvent[transactionId=" + transactionId + ", cardToken=" + cardToken
                + ", customerId=" + customerId + ", merchantId=" + merchantId + ", amount=" + amount
                + " " + currency + ", timestamp=" + timestamp + "]";
    }
}
