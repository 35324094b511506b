package dev.mlplatform.fraud.api;

/** A transaction id already decided for other content: the first decision stands. */
final class TransactionIdConflictException extends RuntimeException {

    TransactionIdConflictException(String transactionId) {
        super("transaction '" + transactionId + "' was already decided for different content; "
                + "a retry must resend the same transaction, a new transaction needs a new id");
    }
}
