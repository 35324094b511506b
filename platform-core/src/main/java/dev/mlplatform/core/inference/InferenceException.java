package dev.mlplatform.core.inference;

/** A model could not be loaded or could not score its input. */
public final class InferenceException extends RuntimeException {

    public InferenceException(String message) {
        super(message);
    }

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
