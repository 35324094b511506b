package dev.mlplatform.fraud.decision;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The ids this process stored most recently, bounded: lets the Kafka consumer skip a transaction it
 * forwarded itself after deciding it over REST without reading the database. Absence proves
 * nothing (evicted, or decided by another instance): the store stays the authority.
 */
public final class RecentDecisions {

    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final AtomicReferenceArray<String> ring;
    private final AtomicLong next = new AtomicLong();

    public RecentDecisions(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.ring = new AtomicReferenceArray<>(capacity);
    }

    public void add(String transactionId) {
        if (!ids.add(transactionId)) {
            return;
        }
        int slot = (int) (next.getAndIncrement() % ring.length());
        String evicted = ring.getAndSet(slot, transactionId);
        if (evicted != null) {
            ids.remove(evicted);
        }
    }

    public boolean contains(String transactionId) {
        return ids.contains(transactionId);
    }
}
