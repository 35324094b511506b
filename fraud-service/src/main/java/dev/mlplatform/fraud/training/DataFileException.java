package dev.mlplatform.fraud.training;

/** The data file cannot be used: missing, unreadable, malformed, or not covering the asked dates. */
public final class DataFileException extends RuntimeException {

    public DataFileException(String message) {
        super(message);
    }

    public DataFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
