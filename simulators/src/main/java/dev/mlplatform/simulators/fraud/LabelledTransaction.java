package dev.mlplatform.simulators.fraud;

import dev.mlplatform.core.events.TransactionEvent;

/**
 * A simulated transaction with its ground truth. {@code scenario} names the fraud's cause (or
 * {@code legitimate}); it is for evaluation only and never a feature.
 */
public record LabelledTransaction(TransactionEvent transaction, boolean fraud, FraudScenario scenario) {
}
