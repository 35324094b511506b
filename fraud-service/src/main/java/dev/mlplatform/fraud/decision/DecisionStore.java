package dev.mlplatform.fraud.decision;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Decisions, one per transaction id, kept for audit, replays and the outbox of decision events. */
public interface DecisionStore {

    /**
     * Stores each record unless a decision for its transaction id exists (then nothing changes) and
     * returns the ids it stored, in one round trip.
     */
    Set<String> insertNew(List<DecisionRecord> records);

    Optional<DecisionRecord> find(String transactionId);

    /** The stored records among {@code transactionIds}, by id. */
    Map<String, DecisionRecord> findAll(Collection<String> transactionIds);

    /** Records that their events reached Kafka. */
    void markPublished(Collection<String> transactionIds);

    /** Decided before {@code decidedBefore} and not yet marked published on this store's topic, oldest first. */
    List<DecisionRecord> unpublished(Instant decidedBefore, int limit);

    /** The card tokens on the customer's stored decisions, each with the devices it paid from (maybe none). */
    Map<String, Set<String>> devicesByCardOf(String customerId);

    /**
     * Deletes, in one transaction, every decision of the customer and every decision on the given cards
     * (GDPR erasure); returns how many rows went.
     */
    int deleteCustomer(String customerId, Collection<String> cardTokens);
}
