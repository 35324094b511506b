package dev.mlplatform.jobs.fraud;

import dev.mlplatform.core.events.CardTokenizer;
import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.FeatureStore;
import dev.mlplatform.featurestore.definitions.CardActivity;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
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

    /**
     * A card's transaction, from the card's own customer, device and merchant: named after its token, so
     * that tests writing to the shared feature store with {@link #uniqueCardNumber} touch no one else's rows.
     */
    static TransactionEvent event(String id, String cardNumber, Instant time, String amount) {
        return new TransactionEvent(id, cardNumber, null, customerOf(cardNumber), merchantOf(cardNumber), "t-1", "5411",
                new BigDecimal(amount), "EUR", time, "ecommerce", deviceOf(cardNumber), "203.0.113.7",
                new TransactionEvent.GeoPoint(48.85, 2.35), "FR");
    }

    static String customerOf(String cardNumber) {
        return "cust-" + holder(cardNumber);
    }

    static String deviceOf(String cardNumber) {
        return "dev-" + holder(cardNumber);
    }

    static String merchantOf(String cardNumber) {
        return "m-" + holder(cardNumber);
    }

    /** Removes every row the job wrote for the card's transactions from the store. */
    static void erase(FeatureStore store, String cardNumber) {
        store.erase(FraudFeatures.CARD, token(cardNumber));
        store.erase(FraudFeatures.CARD_DEVICE, CardActivity.cardDeviceKey(token(cardNumber), deviceOf(cardNumber)));
        store.erase(FraudFeatures.CUSTOMER, customerOf(cardNumber));
        store.erase(FraudFeatures.DEVICE, deviceOf(cardNumber));
        store.erase(FraudFeatures.MERCHANT, merchantOf(cardNumber));
    }

    private static String holder(String cardNumber) {
        // The token without its "ct_" prefix, shortened: no card digits in any id.
        return token(cardNumber).substring(3, 15);
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
