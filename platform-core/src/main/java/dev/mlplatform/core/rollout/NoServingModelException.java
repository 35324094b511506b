package dev.mlplatform.core.rollout;

/** No model has been installed yet, or the {@link SwappableModel} was closed. */
public final class NoServingModelException extends IllegalStateException {

    NoServingModelException(String message) {
        super(message);
    }
}
