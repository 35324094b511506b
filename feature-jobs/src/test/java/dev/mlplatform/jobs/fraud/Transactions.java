package dev.mlplatform.jobs.fraud;

import dev.mlplatform.core.events.CardTokenizer;
import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.TransactionEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Random;

/** Transactions as producers send them (raw card number), for the job's tests. */
final class Transactions {

    /** Luhn-valid test card numbers. */
    static final String VISA = "4111111111111111";
    static final String MASTERCARD = "5555555555554444";
    static final String AMEX = "378282246310005";
    static final String DISCOVER = "6011111111111117";

    private static final CardTokenizer TOKENIZER = CardTokenizer.fromEnvironment();

    private Transactions() {
    }

    static TransactionEvent event(String id, String cardNumber, Instant time, String amount) {
        return new TransactionEvent(id, cardNumber, null, "cust-1", "m-1", "t-1", "5411", new BigDecimal(amount), "EUR",
                time, "ecommerce", "dev-1", "203.0.113.7", new TransactionEvent.GeoPoint(48.85, 2.35), "FR");
    }

    /** The JSON a producer puts on {@code fraud.transactions.v1}. */
    static String json(String id, String cardNumber, Instant time, String amount) {
        return EventJson.MAPPER.writeValueAsString(event(id, cardNumber, time, amount));
    }

    /** The event as the job keys it: card number replaced by its token. */
    static TransactionEvent tokenized(String id, String cardNumber, Instant time, String amount) {
        return event(id, cardNumber, time, amount).tokenized(TOKENIZER);
    }

    static String token(String cardNumber) {
        return TOKENIZER.tokenize(cardNumber);
    }

    /** A Luhn-valid 16-digit card number no other test run uses, so that stored features never collide. */
    static String uniqueCardNumber(Random random) {
        StringBuilder digits = new StringBuilder("4");
        for (int i = 0; i < 14; i++) {
            digits.append(random.nextInt(10));
        }
        for (int check = 0; check < 10; check++) {
            String candidate = digits.toString() + check;
            if (luhnValid(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("no Luhn check digit for " + digits);
    }

    private static boolean luhnValid(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }
}
