package dev.mlplatform.fraud.api;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.core.events.TransactionValidator.FieldError;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A transaction as clients send it (DESIGN §7). Any other field is refused, so that a misspelt
 * optional field never passes silently; the card number is tokenised before anything else sees it.
 */
@Schema(description = "A card transaction to score")
record ScoreRequest(
        @Schema(example = "tx-000001", requiredMode = Schema.RequiredMode.REQUIRED) String transactionId,
        @Schema(example = "4111111111111111", requiredMode = Schema.RequiredMode.REQUIRED) String cardNumber,
        @Schema(example = "cust-7", requiredMode = Schema.RequiredMode.REQUIRED) String customerId,
        @Schema(example = "m-9", requiredMode = Schema.RequiredMode.REQUIRED) String merchantId,
        @Schema(example = "t-3") String terminalId,
        @Schema(example = "5411") String mcc,
        @Schema(example = "42.50", requiredMode = Schema.RequiredMode.REQUIRED) BigDecimal amount,
        @Schema(example = "EUR", requiredMode = Schema.RequiredMode.REQUIRED) String currency,
        @Schema(example = "2026-11-26T10:15:30Z", requiredMode = Schema.RequiredMode.REQUIRED) Instant timestamp,
        @Schema(example = "ecommerce", allowableValues = {"ecommerce", "pos", "atm", "moto", "contactless"}) String channel,
        @Schema(example = "dev-1") String deviceId,
        @Schema(example = "203.0.113.7") String ip,
        Location location,
        @Schema(example = "FR") String country,
        @Schema(example = "3ds", description = "How the cardholder was verified (event schema v2)",
                allowableValues = {"none", "pin", "3ds", "biometric", "signature"}) String authentication) {

    /** Where the transaction happened, in degrees. */
    record Location(@Schema(example = "48.85") Double lat, @Schema(example = "2.35") Double lon) {
    }

    /** Problems the event's own validation cannot see (a location with a coordinate missing). */
    List<FieldError> shapeErrors() {
        List<FieldError> errors = new ArrayList<>(0);
        if (location != null) {
            if (location.lat() == null) {
                errors.add(new FieldError("location.lat", "is required when location is given"));
            }
            if (location.lon() == null) {
                errors.add(new FieldError("location.lon", "is required when location is given"));
            }
        }
        return errors;
    }

    TransactionEvent toEvent() {
        TransactionEvent.GeoPoint point = location == null || location.lat() == null || location.lon() == null
                ? null : new TransactionEvent.GeoPoint(location.lat(), location.lon());
        return new TransactionEvent(transactionId, cardNumber, null, customerId, merchantId, terminalId, mcc, amount,
                currency, timestamp, channel, deviceId, ip, point, country, authentication);
    }

    @Override
    public String toString() {
        return "ScoreRequest[transactionId=" + transactionId + "]";
    }
}
