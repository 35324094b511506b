package dev.mlplatform.fraud.scoring;

import dev.mlplatform.core.events.TransactionValidator.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/** A transaction that cannot be decided, with each field at fault; nothing was stored or sent for it. */
public final class InvalidTransactionException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidTransactionException(List<FieldError> errors) {
        super(errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
