package dev.mlplatform.core.events;

import dev.mlplatform.core.events.TransactionValidator.FieldError;
import java.util.List;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Strict JSON reading shared by the services' REST APIs and Kafka consumers: unknown fields, duplicate
 * fields, trailing content and non-numbers ({@code NaN}, {@code Infinity}) are refused, and every
 * refusal names the field at fault, in the exception the caller's API answers with.
 */
public final class JsonInput {

    private JsonInput() {
    }

    /**
     * Reads {@code json} as a {@code type}.
     *
     * @param invalid makes the exception thrown for a refusal, from the field at fault
     */
    public static <T> T read(byte[] json, Class<T> type, Function<List<FieldError>, ? extends RuntimeException> invalid) {
        if (json == null || json.length == 0) {
            throw invalid.apply(List.of(new FieldError("body", "is required: a JSON object")));
        }
        try {
            T value = reader(type).readValue(json);
            if (value == null) {
                throw invalid.apply(List.of(new FieldError("body", "must be a JSON object, not null")));
            }
            return value;
        } catch (JacksonException e) {
            throw invalid.apply(List.of(fieldError(e)));
        }
    }

    private static final ClassValue<ObjectReader> READERS = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return EventJson.MAPPER.readerFor(type)
                    .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        }
    };

    private static ObjectReader reader(Class<?> type) {
        return READERS.get(type);
    }

    /** The field a Jackson error is about, and what is wrong with it, in words a client understands. */
    static FieldError fieldError(JacksonException e) {
        String field = path(e);
        if (e instanceof UnrecognizedPropertyException) {
            return new FieldError(field, "is not a known field");
        }
        if (e instanceof InvalidFormatException invalid) {
            return new FieldError(field, "has an invalid value: expected " + describe(invalid.getTargetType()));
        }
        if (e instanceof MismatchedInputException mismatched) {
            if (field.isEmpty()) {
                return new FieldError("body", "must be a JSON object");
            }
            return new FieldError(field, "has the wrong type: expected " + describe(mismatched.getTargetType()));
        }
        String message = String.valueOf(e.getOriginalMessage());
        if (message.contains("'NaN'") || message.contains("Infinity'")) {
            return new FieldError(field.isEmpty() ? "body" : field, "must be a finite number (NaN and Infinity are not JSON)");
        }
        if (message.startsWith("Duplicate Object property")) {
            return new FieldError(field.isEmpty() ? "body" : field, "appears more than once");
        }
        if (e instanceof StreamReadException) {
            // A syntax error belongs to the document, wherever the parser happened to be.
            return new FieldError("body", "is not well-formed JSON" + where(e) + ": " + firstLine(message));
        }
        return new FieldError(field.isEmpty() ? "body" : field, "cannot be read: " + firstLine(message));
    }

    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        if (path.isEmpty() && e.processor() instanceof JsonParser parser) {
            TokenStreamContext context = parser.streamReadContext();
            String pointer = context == null ? "" : context.pathAsPointer().toString();
            return pointer.isEmpty() ? "" : pointer.substring(1).replace('/', '.');
        }
        return path.toString();
    }

    private static String where(JacksonException e) {
        return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == int.class || type == long.class) {
            return "a number";
        }
        if (type == java.time.Instant.class) {
            return "an ISO-8601 instant such as 2026-11-26T10:15:30Z";
        }
        if (type == String.class) {
            return "a string";
        }
        return "a JSON object";
    }

    /** The message's first line (Jackson appends the source location), card numbers redacted. */
    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return CardNumbers.redact(newline < 0 ? message : message.substring(0, newline));
    }
}
