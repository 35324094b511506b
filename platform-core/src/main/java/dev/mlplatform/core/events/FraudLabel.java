package dev.mlplatform.core.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A confirmed fraud on {@code fraud.labels.v1}: a chargeback, a cardholder's dispute or an analyst's
 * finding about an earlier transaction. Labels come days or weeks after the payment; a transaction
 * without one is taken as genuine. The record names the payment's merchant and time so that features
 * keyed by merchant can use it without looking the payment up.
 *
 * @param transactionId   the fraudulent payment
 * @param merchantId      where it was paid
 * @param transactionTime when it was paid (its event time)
 * @param reportedAt      when the fraud became known: the label's own event time
 */
public record FraudLabel(String transactionId, String merchantId, Instant transactionTime, Instant reportedAt) {

    /** Every problem with the label; empty when it is valid. {@code now} bounds future timestamps. */
    public static List<TransactionValidator.FieldError> validate(FraudLabel label, Instant now) {
        List<TransactionValidator.FieldError> errors = new ArrayList<>();
        TransactionValidator.requireId(errors, "transactionId", label.transactionId());
        TransactionValidator.requireId(errors, "merchantId", label.merchantId());
        if (label.transactionTime() == null) {
            errors.add(new TransactionValidator.FieldError("transactionTime", "is required"));
        }
        if (label.reportedAt() == null) {
            errors.add(new TransactionValidator.FieldError("reportedAt", "is required"));
        } else if (label.reportedAt().isAfter(now.plus(TransactionValidator.MAX_FUTURE_SKEW))) {
            errors.add(new TransactionValidator.FieldError("reportedAt", "lies more than 5 minutes in the future"));
        } else if (label.transactionTime() != null && label.reportedAt().isBefore(label.transactionTime())) {
            errors.add(new TransactionValidator.FieldError("reportedAt", "lies before the transaction it reports"));
        }
        return errors;
    }
}
