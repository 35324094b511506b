package dev.mlplatform.fraud.stream;

import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.FraudLabel;
import dev.mlplatform.core.events.BrokerAcknowledgement;
import java.time.Duration;
import org.springframework.kafka.core.KafkaOperations;

/**
 * Sends {@link FraudLabel}s to the labels topic, keyed by merchant id (the consumer computes merchant
 * risk, so a merchant's labels stay in order on one partition), and waits for the broker's
 * acknowledgement: unlike a decision, a label has no outbox, so the reporter must learn whether it
 * arrived and report it again if not.
 *
 * <p>Every call sends: the same transaction reported twice is on the topic twice, and the consumer keeps
 * one label per transaction id. A label given up on after the timeout may still reach the topic later
 * (the producer goes on retrying it), which that deduplication also makes harmless.
 */
public final class KafkaLabelPublisher {

    private final KafkaOperations<String, byte[]> kafka;
    private final String topic;
    private final Duration ackTimeout;

    public KafkaLabelPublisher(KafkaOperations<String, byte[]> kafka, String topic, Duration ackTimeout) {
        this.kafka = kafka;
        this.topic = topic;
        this.ackTimeout = ackTimeout;
    }

    /**
     * Returns once the broker has acknowledged the label.
     *
     * @throws BrokerAcknowledgement.NotAcknowledgedException when it did not within the timeout, or refused it
     */
    public void publish(FraudLabel label) {
        byte[] value = EventJson.MAPPER.writeValueAsBytes(label);
        BrokerAcknowledgement.await(() -> kafka.send(topic, label.merchantId(), value), ackTimeout,
                "the label of " + label.transactionId());
    }
}
