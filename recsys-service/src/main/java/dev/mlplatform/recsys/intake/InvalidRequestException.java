package dev.mlplatform.recsys.intake;

import dev.mlplatform.core.events.TransactionValidator.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/** A request that names fields at fault; nothing was stored or sent for it. */
public final class InvalidRequestException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidRequestException(List<FieldError> errors) {
        super(errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
