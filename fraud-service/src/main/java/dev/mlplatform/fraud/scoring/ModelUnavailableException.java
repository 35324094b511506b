package dev.mlplatform.fraud.scoring;

/** No model is loaded yet (first start still training, or the registry unreachable). */
public final class ModelUnavailableException extends RuntimeException {

    public ModelUnavailableException(String message) {
        super(message);
    }
}
