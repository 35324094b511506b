package dev.mlplatform.recsys.intake;

import dev.mlplatform.core.events.BrokerAcknowledgement;
import dev.mlplatform.core.events.CatalogueItem;
import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.InteractionEvent;
import java.time.Duration;
import org.springframework.kafka.core.KafkaOperations;

/**
 * Publishes what the REST API accepts and waits for the broker: interactions keyed by user (one user's events
 * in order on one partition), catalogue items keyed by item (the compacted topic keeps each item's latest).
 */
public final class KafkaEventPublisher {

    private final KafkaOperations<String, byte[]> kafka;
    private final String interactionsTopic;
    private final String itemsTopic;
    private final Duration ackTimeout;

    public KafkaEventPublisher(KafkaOperations<String, byte[]> kafka, String interactionsTopic, String itemsTopic,
                               Duration ackTimeout) {
        this.kafka = kafka;
        this.interactionsTopic = interactionsTopic;
        this.itemsTopic = itemsTopic;
        this.ackTimeout = ackTimeout;
    }

    public void publish(InteractionEvent event) {
        byte[] value = EventJson.MAPPER.writeValueAsBytes(event);
        BrokerAcknowledgement.await(() -> kafka.send(interactionsTopic, event.userId(), value), ackTimeout,
                "interaction " + event.eventId());
    }

    public void publish(CatalogueItem item) {
        byte[] value = EventJson.MAPPER.writeValueAsBytes(item);
        BrokerAcknowledgement.await(() -> kafka.send(itemsTopic, item.itemId(), value), ackTimeout,
                "item " + item.itemId());
    }
}
