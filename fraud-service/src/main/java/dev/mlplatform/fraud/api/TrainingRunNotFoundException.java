package dev.mlplatform.fraud.api;

/** No training run with this id is kept (unknown, or older than the last 20 since the service started). */
final class TrainingRunNotFoundException extends RuntimeException {

    TrainingRunNotFoundException(String id) {
        super("no training run '" + id + "' among the last 20 since the service started");
    }
}
