package dev.mlplatform.fraud.decision;

/**
 * Announces a stored decision; never blocks or fails the caller. What it cannot deliver now stays
 * unmarked in the store and is sent again later (the store is the outbox).
 */
public interface DecisionPublisher {

    void publish(DecisionRecord record);
}
