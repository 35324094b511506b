package dev.mlplatform.fraud.stream;

import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.FraudLabel;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
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
     * @throws LabelNotAcknowledgedException when it did not within the timeout, or refused it
     */
    public void publish(FraudLabel label) {
        try {
            kafka.send(topic, label.merchantId(), EventJson.MAPPER.writeValueAsBytes(label))
                    .get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new LabelNotAcknowledgedException("the broker did not acknowledge the label of "
                    + label.transactionId() + " within " + ackTimeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new LabelNotAcknowledgedException("the label of " + label.transactionId() + " was not delivered: "
                    + e.getCause(), e.getCause());
        } catch (KafkaException | org.springframework.kafka.KafkaException e) {
            // Refused before sending: no metadata for the topic within max.block.ms (no broker), a closed producer.
            throw new LabelNotAcknowledgedException("the label of " + label.transactionId() + " could not be sent: "
                    + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabelNotAcknowledgedException("interrupted while waiting for the broker", e);
        }
    }

    /** The label may not be on the topic: the reporter should send it again. */
    public static final class LabelNotAcknowledgedException extends RuntimeException {
        LabelNotAcknowledgedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
