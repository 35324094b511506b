package dev.mlplatform.fraud.decision;

import dev.mlplatform.core.events.TransactionEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The event on {@code fraud.decisions.v1} (key: the card token), version 1. It carries the card
 * token, never the card number.
 */
public record DecisionMade(
        String transactionId,
        String cardToken,
        String customerId,
        String merchantId,
        BigDecimal amount,
        String currency,
        Instant eventTime,
        Outcome decision,
        double riskScore,
        List<String> reasons,
        String modelVersion,
        boolean degraded,
        Source source,
        Instant decidedAt) {

    public static DecisionMade of(DecisionRecord record) {
        TransactionEvent tx = record.transaction();
        Decision d = record.decision();
        return new DecisionMade(d.transactionId(), tx.cardToken(), tx.customerId(), tx.merchantId(), tx.amount(),
                tx.currency(), tx.timestamp(), d.outcome(), d.riskScore(), d.reasons(), d.modelVersion(),
                d.degraded(), record.source(), d.decidedAt());
    }
}
