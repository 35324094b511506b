package dev.mlplatform.jobs.common;

import dev.mlplatform.core.events.TransactionValidator.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A record a job could not use: why, and the record itself (with anything secret masked). Each job sends its
 * dead letters to its own dead-letter topic, the reason in the header {@value #ERROR_HEADER}.
 */
public record DeadLetter(String error, String payload) {

    /** Header of a dead-letter record naming what was wrong (the name Spring Kafka's recoverer uses too). */
    public static final String ERROR_HEADER = "kafka_dlt-exception-message";

    /** The field errors as a dead letter states them: {@code field message; field message}. */
    public static String describe(List<FieldError> errors) {
        return errors.stream().map(error -> error.field() + " " + error.message()).collect(Collectors.joining("; "));
    }
}
