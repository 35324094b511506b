package dev.mlplatform.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.TransactionValidator.FieldError;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FraudLabelTest {

    private static final Instant PAID = Instant.parse("2026-11-26T10:15:30Z");
    private static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");

    private static FraudLabel reportedAt(Instant reportedAt) {
        return new FraudLabel("tx-000001", "m-9", PAID, reportedAt);
    }

    private static List<String> fieldsWrongIn(FraudLabel label) {
        return FraudLabel.validate(label, NOW).stream().map(FieldError::field).toList();
    }

    @Test
    void acceptsALabelReportedBetweenThePaymentAndNow() {
        assertThat(FraudLabel.validate(reportedAt(NOW.minusSeconds(3600)), NOW)).isEmpty();
        assertThat(FraudLabel.validate(reportedAt(PAID), NOW)).as("reported the instant it was paid").isEmpty();
        assertThat(FraudLabel.validate(reportedAt(NOW.plusSeconds(300)), NOW)).as("within the clock skew").isEmpty();
    }

    @Test
    void refusesAReportBeforeThePaymentOrInTheFuture() {
        assertThat(FraudLabel.validate(reportedAt(PAID.minusMillis(1)), NOW))
                .containsExactly(new FieldError("reportedAt", "lies before the transaction it reports"));
        assertThat(FraudLabel.validate(reportedAt(NOW.plusSeconds(301)), NOW))
                .containsExactly(new FieldError("reportedAt", "lies more than 5 minutes in the future"));
    }

    @Test
    void namesEachMissingOrMalformedField() {
        assertThat(fieldsWrongIn(new FraudLabel(null, null, null, null)))
                .containsExactly("transactionId", "merchantId", "transactionTime", "reportedAt");
        assertThat(fieldsWrongIn(new FraudLabel("", "", PAID, NOW))).containsExactly("transactionId", "merchantId");
        assertThat(FraudLabel.validate(new FraudLabel("tx 1", "m/9", PAID, NOW), NOW)).containsExactly(
                new FieldError("transactionId", TransactionValidator.ID_RULE),
                new FieldError("merchantId", TransactionValidator.ID_RULE));
        assertThat(fieldsWrongIn(new FraudLabel("tx-000001", "m-9", null, NOW))).as("nothing to be before")
                .containsExactly("transactionTime");
    }

    @Test
    void travelsAsJsonWithInstantsInIso8601() {
        FraudLabel label = reportedAt(NOW);

        String json = EventJson.MAPPER.writeValueAsString(label);

        assertThat(json).isEqualTo("{\"transactionId\":\"tx-000001\",\"merchantId\":\"m-9\","
                + "\"transactionTime\":\"2026-11-26T10:15:30Z\",\"reportedAt\":\"2026-11-29T08:00:00Z\"}");
        assertThat(EventJson.MAPPER.readValue(json, FraudLabel.class)).isEqualTo(label);
    }
}
