package dev.mlplatform.core.events;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a transaction field by field. The REST endpoint and the Kafka consumer both use it, so a
 * record that the API would refuse goes to the dead-letter topic with the same message.
 */
public final class TransactionValidator {

    /** One field that is wrong, and why. */
    public record FieldError(String field, String message) {
    }

    public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000");
    public static final Set<String> CHANNELS = Set.of("ecommerce", "pos", "atm", "moto", "contactless");
    /** How the cardholder was verified (schema v2): nothing, PIN, 3-D Secure, a biometric check, a signature. */
    public static final Set<String> AUTHENTICATIONS = Set.of("none", "pin", "3ds", "biometric", "signature");
    /** ISO 4217 codes that no card is charged in: metals, fund units, testing and "no currency". */
    private static final Set<String> NOT_TENDER = Set.of("XAG", "XAU", "XPD", "XPT", "XBA", "XBB", "XBC", "XBD",
            "XDR", "XSU", "XUA", "XTS", "XXX");
    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).filter(code -> !NOT_TENDER.contains(code))
            .collect(Collectors.toUnmodifiableSet());
    private static final int MAX_ID_LENGTH = 64;
    /** What {@link #validId} requires, as an error message. */
    public static final String ID_RULE = "must be 1 to 64 characters of letters, digits and . _ : -";
    private static final Pattern MCC = Pattern.compile("\\d{4}");
    private static final Pattern PAN = Pattern.compile("\\d{12,19}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    public static final String COUNTRY_RULE = "must be an ISO 3166 alpha-2 code such as FR";
    /** How far ahead of this clock an event's own time may lie (producers' clocks drift). */
    public static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(5);

    private TransactionValidator() {
    }

    /** Every problem with the transaction; empty when it is valid. {@code now} bounds future timestamps. */
    public static List<FieldError> validate(TransactionEvent tx, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        requireId(errors, "transactionId", tx.transactionId());
        if (tx.cardNumber() == null && tx.cardToken() == null) {
            errors.add(new FieldError("cardNumber", "is required"));
        } else if (tx.cardNumber() != null && !PAN.matcher(tx.cardNumber().replaceAll("[\\s-]", "")).matches()) {
            errors.add(new FieldError("cardNumber", "must be 12 to 19 digits"));
        } else if (tx.cardNumber() != null && !luhnValid(tx.cardNumber().replaceAll("[\\s-]", ""))) {
            errors.add(new FieldError("cardNumber", "fails the Luhn check"));
        }
        requireId(errors, "customerId", tx.customerId());
        requireId(errors, "merchantId", tx.merchantId());
        optionalId(errors, "terminalId", tx.terminalId());
        optionalId(errors, "deviceId", tx.deviceId());
        if (tx.mcc() != null && !MCC.matcher(tx.mcc()).matches()) {
            errors.add(new FieldError("mcc", "must be a 4-digit merchant category code"));
        }
        if (tx.amount() == null) {
            errors.add(new FieldError("amount", "is required"));
        } else if (tx.amount().signum() <= 0) {
            errors.add(new FieldError("amount", "must be greater than 0"));
        } else if (tx.amount().compareTo(MAX_AMOUNT) > 0) {
            errors.add(new FieldError("amount", "must not exceed " + MAX_AMOUNT.toPlainString()));
        } else if (tx.amount().scale() > 2) {
            errors.add(new FieldError("amount", "must have at most 2 decimal places"));
        }
        if (tx.currency() == null) {
            errors.add(new FieldError("currency", "is required"));
        } else if (!CURRENCIES.contains(tx.currency())) {
            errors.add(new FieldError("currency", "unknown ISO 4217 currency code '" + tx.currency() + "'"));
        }
        if (tx.timestamp() == null) {
            errors.add(new FieldError("timestamp", "is required"));
        } else if (tx.timestamp().isAfter(now.plus(MAX_FUTURE_SKEW))) {
            errors.add(new FieldError("timestamp", "lies more than 5 minutes in the future"));
        }
        if (tx.channel() != null && !CHANNELS.contains(tx.channel())) {
            errors.add(new FieldError("channel", "must be one of " + CHANNELS.stream().sorted().toList()));
        }
        if (tx.location() != null) {
            if (!(Math.abs(tx.location().lat()) <= 90)) {
                errors.add(new FieldError("location.lat", "must be between -90 and 90"));
            }
            if (!(Math.abs(tx.location().lon()) <= 180)) {
                errors.add(new FieldError("location.lon", "must be between -180 and 180"));
            }
        }
        if (tx.country() != null && !validCountry(tx.country())) {
            errors.add(new FieldError("country", COUNTRY_RULE));
        }
        if (tx.authentication() != null && !AUTHENTICATIONS.contains(tx.authentication())) {
            errors.add(new FieldError("authentication", "must be one of " + AUTHENTICATIONS.stream().sorted().toList()));
        }
        return errors;
    }

    public static void requireId(List<FieldError> errors, String field, String value) {
        if (value == null || value.isEmpty()) {
            errors.add(new FieldError(field, "is required"));
        } else {
            optionalId(errors, field, value);
        }
    }

    private static void optionalId(List<FieldError> errors, String field, String value) {
        if (value != null && !validId(value)) {
            errors.add(new FieldError(field, ID_RULE));
        }
    }

    /** Whether the value is an ISO 3166 alpha-2 country code in capitals (a country, a user's region). */
    public static boolean validCountry(String value) {
        return COUNTRY.matcher(value).matches();
    }

    /** Whether the value is a well-formed id (transaction, customer, merchant, terminal, device). */
    public static boolean validId(String value) {
        // A loop, not a regex: five ids per transaction, and the regex was 7 % of the Kafka path's CPU.
        if (value.isEmpty() || value.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    static boolean luhnValid(String digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }
}
