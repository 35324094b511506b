package dev.mlplatform.fraud.stream;

import dev.mlplatform.fraud.decision.DecisionRecord;
import dev.mlplatform.fraud.decision.DecisionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends again the events of decisions stored but never acknowledged by Kafka (broker outage,
 * publisher queue full, process killed between the insert and the send): the decisions table is
 * the outbox. Only decisions older than {@code grace} are taken, so that the publisher's own
 * in-flight sends are not doubled.
 */
public final class OutboxRelay {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final DecisionStore store;
    private final KafkaDecisionPublisher publisher;
    private final Clock clock;
    private final Duration grace;
    private final int batchSize;

    public OutboxRelay(DecisionStore store, KafkaDecisionPublisher publisher, Clock clock, Duration grace,
                       int batchSize) {
        this.store = store;
        this.publisher = publisher;
        this.clock = clock;
        this.grace = grace;
        this.batchSize = batchSize;
    }

    /** Hands one batch of stale unpublished decisions to the publisher; returns how many. */
    public int resend() {
        if (publisher.pending() > 0) {
            return 0;
        }
        List<DecisionRecord> stale = store.unpublished(clock.instant().minus(grace), batchSize);
        stale.forEach(publisher::publish);
        if (!stale.isEmpty()) {
            log.info("resending the events of {} decisions not yet acknowledged by Kafka", stale.size());
        }
        return stale.size();
    }
}
