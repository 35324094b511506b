package dev.mlplatform.fraud.api;

import dev.mlplatform.core.events.TransactionValidator.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/** A fraud report that cannot become a label, with each field at fault; nothing was published. */
final class InvalidLabelException extends RuntimeException {

    private final List<FieldError> errors;

    InvalidLabelException(List<FieldError> errors) {
        super(errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    List<FieldError> errors() {
        return errors;
    }
}
