package dev.mlplatform.fraud;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.simulators.fraud.TransactionSimulator;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Valid transactions for tests, each with its own id and (random, Luhn-valid) card. */
public final class Transactions {

    private Transactions() {
    }

    /** A random 16-digit card number with a valid Luhn check digit. */
    public static String cardNumber() {
        return TransactionSimulator.cardNumber(ThreadLocalRandom.current());
    }

    public static String id() {
        return "tx-" + UUID.randomUUID().toString().replace("-", "");
    }

    /** An e-commerce payment of {@code amount} EUR at {@code time}, with a fresh id and card. */
    public static TransactionEvent transaction(String amount, Instant time) {
        return new TransactionEvent(id(), cardNumber(), null, "cust-7", "m-9", "t-3", "5411", new BigDecimal(amount),
                "EUR", time, "ecommerce", "dev-1", "203.0.113.7", new TransactionEvent.GeoPoint(48.85, 2.35), "FR");
    }

    /** The DESIGN §7 request body for {@code transaction} (which must hold a card number). */
    public static String json(TransactionEvent tx) {
        return """
                {"transactionId": "%s", "cardNumber": "%s", "customerId": "%s", "merchantId": "%s",
                 "terminalId": "t-3", "mcc": "5411", "amount": %s, "currency": "%s",
                 "timestamp": "%s", "channel": "%s", "deviceId": "dev-1",
                 "ip": "203.0.113.7", "location": {"lat": 48.85, "lon": 2.35}, "country": "FR"}
                """.formatted(tx.transactionId(), tx.cardNumber(), tx.customerId(), tx.merchantId(),
                tx.amount().toPlainString(), tx.currency(), tx.timestamp(), tx.channel());
    }
}
