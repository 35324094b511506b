package dev.mlplatform.core.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A card transaction on {@code fraud.transactions.v1}, as clients and producers send it.
 *
 * <p>Producers may send the raw {@code cardNumber}; every consumer replaces it with
 * {@code cardToken} (see {@link CardTokenizer}) before anything is stored, logged or forwarded.
 *
 * <p>Schema versions, each readable by the code of every later one (consumers are upgraded first, then
 * producers; fields are only ever added, optional, and never renamed or retyped — checked against the
 * recorded shapes of earlier versions by {@code TransactionEventCompatibilityTest}):
 * <ul>
 *   <li>v1: every field up to {@code country};</li>
 *   <li>v2: adds the optional {@code authentication}, how the cardholder was verified (one of
 *       {@link TransactionValidator#AUTHENTICATIONS}); absent from v1 events, and left out of the JSON when
 *       absent, so that a v1 event written again is byte for byte a v1 event.</li>
 * </ul>
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
        String country,
        @JsonInclude(JsonInclude.Include.NON_NULL) String authentication) {

    /** A transaction of the v1 shape: no {@code authentication}. */
    public TransactionEvent(String transactionId, String cardNumber, String cardToken, String customerId,
                            String merchantId, String terminalId, String mcc, BigDecimal amount, String currency,
                            Instant timestamp, String channel, String deviceId, String ip, GeoPoint location,
                            String country) {
        this(transactionId, cardNumber, cardToken, customerId, merchantId, terminalId, mcc, amount, currency,
                timestamp, channel, deviceId, ip, location, country, null);
    }

    /** A latitude/longitude pair in degrees. */
    public record GeoPoint(double lat, double lon) {
    }

    /** The same transaction with the card number replaced by its token. */
    public TransactionEvent tokenized(CardTokenizer tokenizer) {
        if (cardNumber == null) {
            return this;
        }
        return new TransactionEvent(transactionId, null, tokenizer.tokenize(cardNumber), customerId, merchantId,
                terminalId, mcc, amount, currency, timestamp, channel, deviceId, ip, location, country, authentication);
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
