package dev.mlplatform.recsys.api;

/** An experiment that is not configured. */
final class ExperimentNotFoundException extends RuntimeException {

    ExperimentNotFoundException(String name) {
        super("no experiment " + name + " is configured");
    }
}
