package dev.mlplatform.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.TransactionEvent.GeoPoint;
import dev.mlplatform.core.events.TransactionValidator.FieldError;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionValidatorTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:20:00Z");

    static TransactionEvent valid() {
        return new TransactionEvent("tx-000001", "4111111111111111", null, "cust-7", "m-9", "t-3", "5411",
                new BigDecimal("42.50"), "EUR", Instant.parse("2026-11-26T10:15:30Z"), "ecommerce", "dev-1",
                "203.0.113.7", new GeoPoint(48.85, 2.35), "FR");
    }

    private static List<String> fieldsWrongIn(TransactionEvent tx) {
        return TransactionValidator.validate(tx, NOW).stream().map(FieldError::field).toList();
    }

    @Test
    void acceptsTheDesignExample() {
        assertThat(TransactionValidator.validate(valid(), NOW)).isEmpty();
    }

    @Test
    void namesEachWrongField() {
        TransactionEvent tx = valid();
        assertThat(fieldsWrongIn(new TransactionEvent(null, tx.cardNumber(), null, tx.customerId(), tx.merchantId(),
                tx.terminalId(), tx.mcc(), tx.amount(), tx.currency(), tx.timestamp(), tx.channel(), tx.deviceId(),
                tx.ip(), tx.location(), tx.country()))).containsExactly("transactionId");
        assertThat(fieldsWrongIn(new TransactionEvent(tx.transactionId(), "4111111111111112", null,
                tx.customerId(), tx.merchantId(), tx.terminalId(), tx.mcc(), tx.amount(), tx.currency(),
                tx.timestamp(), tx.channel(), tx.deviceId(), tx.ip(), tx.location(), tx.country())))
                .containsExactly("cardNumber");
        assertThat(fieldsWrongIn(withAmount(new BigDecimal("-1")))).containsExactly("amount");
        assertThat(fieldsWrongIn(withAmount(BigDecimal.ZERO))).containsExactly("amount");
        assertThat(fieldsWrongIn(withAmount(new BigDecimal("1.234")))).containsExactly("amount");
        assertThat(fieldsWrongIn(withAmount(new BigDecimal("1000000.01")))).containsExactly("amount");
        assertThat(fieldsWrongIn(new TransactionEvent(tx.transactionId(), tx.cardNumber(), null, tx.customerId(),
                tx.merchantId(), tx.terminalId(), "54A1", tx.amount(), "XXX", NOW.plusSeconds(600), "fax",
                tx.deviceId(), tx.ip(), new GeoPoint(91, 181), "France")))
                .containsExactly("mcc", "currency", "timestamp", "channel", "location.lat", "location.lon", "country");
    }

    @Test
    void refusesCurrenciesNoCardIsChargedIn() {
        for (String code : List.of("ABC", "XXX", "XAU", "eur")) {
            TransactionEvent tx = valid();
            assertThat(fieldsWrongIn(new TransactionEvent(tx.transactionId(), tx.cardNumber(), null, tx.customerId(),
                    tx.merchantId(), tx.terminalId(), tx.mcc(), tx.amount(), code, tx.timestamp(), tx.channel(),
                    tx.deviceId(), tx.ip(), tx.location(), tx.country()))).as(code).containsExactly("currency");
        }
    }

    @Test
    void nanCoordinatesAreRefused() {
        TransactionEvent tx = valid();
        assertThat(fieldsWrongIn(new TransactionEvent(tx.transactionId(), tx.cardNumber(), null, tx.customerId(),
                tx.merchantId(), tx.terminalId(), tx.mcc(), tx.amount(), tx.currency(), tx.timestamp(),
                tx.channel(), tx.deviceId(), tx.ip(), new GeoPoint(Double.NaN, 2), tx.country())))
                .containsExactly("location.lat");
    }

    @Test
    void luhnCheckRecognisesValidNumbers() {
        assertThat(TransactionValidator.luhnValid("4111111111111111")).isTrue();
        assertThat(TransactionValidator.luhnValid("4111111111111121")).isFalse();
    }

    private static TransactionEvent withAmount(BigDecimal amount) {
        TransactionEvent tx = valid();
        return new TransactionEvent(tx.transactionId(), tx.cardNumber(), null, tx.customerId(), tx.merchantId(),
                tx.terminalId(), tx.mcc(), amount, tx.currency(), tx.timestamp(), tx.channel(), tx.deviceId(),
                tx.ip(), tx.location(), tx.country());
    }

    @Test
    void anIdIsOneTo64LettersDigitsOrDotUnderscoreColonDash() {
        assertThat(TransactionValidator.validId("a")).isTrue();
        assertThat(TransactionValidator.validId("Tx_2026:11.27-000001")).isTrue();
        assertThat(TransactionValidator.validId("x".repeat(64))).isTrue();
        assertThat(TransactionValidator.validId("x".repeat(65))).isFalse();
        assertThat(TransactionValidator.validId("")).isFalse();
        assertThat(TransactionValidator.validId("tx 1")).isFalse();
        assertThat(TransactionValidator.validId("tx/1")).isFalse();
        assertThat(TransactionValidator.validId("tx\u00e91")).isFalse();
    }
}
