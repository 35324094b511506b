package dev.mlplatform.core.registry;

/** The registry's database could not be read or written. */
public final class ModelRegistryException extends RuntimeException {

    ModelRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
