package dev.mlplatform.fraud.api;

/** No decision is stored for the transaction id. */
final class DecisionNotFoundException extends RuntimeException {

    DecisionNotFoundException(String transactionId) {
        super("no decision for transaction '" + transactionId + "'");
    }
}
