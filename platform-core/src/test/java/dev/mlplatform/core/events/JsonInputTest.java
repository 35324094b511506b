package dev.mlplatform.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import dev.mlplatform.core.events.TransactionValidator.FieldError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonInputTest {

    private static final String VALID = """
            {"transactionId": "tx-1", "cardNumber": "4111111111111111", "customerId": "cust-7", "merchantId": "m-9",
             "amount": %s, "currency": "EUR", "timestamp": "2026-01-01T10:15:30Z"%s}""";

    /** What the caller throws: here, a test's own exception carrying the errors. */
    private static final class Refused extends RuntimeException {
        private final List<FieldError> errors;

        Refused(List<FieldError> errors) {
            this.errors = errors;
        }

        List<FieldError> errors() {
            return errors;
        }
    }

    private static FieldError errorOf(String json) {
        Refused e = catchThrowableOfType(Refused.class,
                () -> JsonInput.read(json.getBytes(StandardCharsets.UTF_8), TransactionEvent.class, Refused::new));
        assertThat(e).as("refused: " + json).isNotNull();
        assertThat(e.errors()).hasSize(1);
        return e.errors().get(0);
    }

    @Test
    void readsAWellFormedTransaction() {
        TransactionEvent tx = JsonInput.read(VALID.formatted("42.50", "").getBytes(StandardCharsets.UTF_8),
                TransactionEvent.class,
                Refused::new);

        assertThat(tx.transactionId()).isEqualTo("tx-1");
        assertThat(tx.amount()).isEqualByComparingTo("42.50");
    }

    @Test
    void namesAnUnknownField() {
        assertThat(errorOf(VALID.formatted("1", ", \"amountt\": 3")))
                .isEqualTo(new FieldError("amountt", "is not a known field"));
    }

    @Test
    void namesAnUnknownFieldInsideTheLocation() {
        assertThat(errorOf(VALID.formatted("1", ", \"location\": {\"lat\": 1, \"lon\": 2, \"alt\": 3}")).field())
                .isEqualTo("location.alt");
    }

    @Test
    void refusesNaNAndInfinityAsAmounts() {
        assertThat(errorOf(VALID.formatted("NaN", ""))).satisfies(error -> {
            assertThat(error.field()).isEqualTo("amount");
            assertThat(error.message()).contains("finite number");
        });
        assertThat(errorOf(VALID.formatted("Infinity", "")).field()).isEqualTo("amount");
        assertThat(errorOf(VALID.formatted("-Infinity", "")).field()).isEqualTo("amount");
    }

    @Test
    void refusesAStringThatIsNotANumber() {
        FieldError error = errorOf(VALID.formatted("\"lots\"", ""));

        assertThat(error.field()).isEqualTo("amount");
        assertThat(error.message()).contains("a number");
    }

    @Test
    void refusesATimestampThatIsNotAnInstant() {
        FieldError error = errorOf(VALID.formatted("1", "").replace("2026-01-01T10:15:30Z", "yesterday"));

        assertThat(error.field()).isEqualTo("timestamp");
        assertThat(error.message()).contains("ISO-8601");
    }

    @Test
    void refusesMalformedJson() {
        FieldError error = errorOf("{\"transactionId\": \"tx-1\", ");

        assertThat(error.field()).isEqualTo("body");
        assertThat(error.message()).contains("not well-formed JSON at line 1");
    }

    @Test
    void refusesAFieldGivenTwice() {
        FieldError error = errorOf(VALID.formatted("1", ", \"currency\": \"USD\""));

        assertThat(error).isEqualTo(new FieldError("currency", "appears more than once"));
    }

    @Test
    void refusesContentAfterTheObject() {
        assertThat(errorOf(VALID.formatted("1", "") + " {}").field()).isEqualTo("body");
    }

    @Test
    void refusesAnEmptyBodyAndNonObjects() {
        assertThat(errorOf("").field()).isEqualTo("body");
        assertThat(errorOf("null").field()).isEqualTo("body");
        assertThat(errorOf("[1, 2]").field()).isEqualTo("body");
    }

    @Test
    void neverEchoesACardNumberInAnError() {
        FieldError error = errorOf("{\"cardNumber\": 4111 1111 1111 1111}");

        assertThat(error.message()).doesNotContain("4111");
    }
}
