package dev.mlplatform.fraud.rules;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.fraud.decision.Outcome;
import dev.mlplatform.fraud.features.VelocityFeatures;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** A compiled rule: checks one tokenised transaction and its card's velocity, the transaction included. */
public sealed interface Rule {

    String name();

    Outcome action();

    RuleType type();

    /** The hit when the rule fires. */
    Optional<RuleHit> check(TransactionEvent transaction, VelocityFeatures velocity);

    /** Fires for the listed card tokens. */
    record CardBlocklist(String name, Outcome action, Set<String> cardTokens) implements Rule {
        @Override
        public RuleType type() {
            return RuleType.CARD_BLOCKLIST;
        }

        @Override
        public Optional<RuleHit> check(TransactionEvent transaction, VelocityFeatures velocity) {
            return cardTokens.contains(transaction.cardToken())
                    ? Optional.of(new RuleHit(name, type(), action, "card is blocklisted"))
                    : Optional.empty();
        }
    }

    /** Fires for the listed merchants. */
    record MerchantBlocklist(String name, Outcome action, Set<String> merchantIds) implements Rule {
        @Override
        public RuleType type() {
            return RuleType.MERCHANT_BLOCKLIST;
        }

        @Override
        public Optional<RuleHit> check(TransactionEvent transaction, VelocityFeatures velocity) {
            return merchantIds.contains(transaction.merchantId())
                    ? Optional.of(new RuleHit(name, type(), action,
                    "merchant " + transaction.merchantId() + " is blocklisted"))
                    : Optional.empty();
        }
    }

    /** Fires above {@code maxAmount}, for one currency or (currency null) for all. */
    record AmountLimit(String name, Outcome action, BigDecimal maxAmount, String currency) implements Rule {
        @Override
        public RuleType type() {
            return RuleType.AMOUNT_LIMIT;
        }

        @Override
        public Optional<RuleHit> check(TransactionEvent transaction, VelocityFeatures velocity) {
            boolean applies = currency == null || currency.equals(transaction.currency());
            return applies && transaction.amount().compareTo(maxAmount) > 0
                    ? Optional.of(new RuleHit(name, type(), action, "amount "
                    + transaction.amount().toPlainString() + " " + transaction.currency() + " exceeds "
                    + maxAmount.toPlainString()))
                    : Optional.empty();
        }
    }

    /** Fires when the card's count or amount over {@code window} exceeds a maximum (null: no limit). */
    record VelocityLimit(String name, Outcome action, Duration window, Long maxCount, Double maxAmount)
            implements Rule {
        @Override
        public RuleType type() {
            return RuleType.VELOCITY_LIMIT;
        }

        @Override
        public Optional<RuleHit> check(TransactionEvent transaction, VelocityFeatures velocity) {
            long count = velocity.count(window);
            double amount = velocity.amount(window);
            if (maxCount != null && count > maxCount) {
                return Optional.of(new RuleHit(name, type(), action,
                        count + " transactions in " + label(window) + " exceed " + maxCount));
            }
            if (maxAmount != null && amount > maxAmount) {
                return Optional.of(new RuleHit(name, type(), action,
                        "amount " + amount + " in " + label(window) + " exceeds " + maxAmount));
            }
            return Optional.empty();
        }

        private static String label(Duration window) {
            return window.toMinutes() >= 60 ? window.toHours() + "h" : window.toMinutes() + "m";
        }
    }
}
