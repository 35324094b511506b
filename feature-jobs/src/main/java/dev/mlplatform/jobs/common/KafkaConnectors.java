package dev.mlplatform.jobs.common;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The Kafka sources and sinks of the jobs: record values as text in, exactly-once transactional records out. */
public final class KafkaConnectors {

    private KafkaConnectors() {
    }

    /**
     * The values of {@code topic} as text. {@code startingOffsets} applies to a start without a checkpoint only:
     * a restored job goes on from the offsets in its checkpoint.
     */
    public static KafkaSource<String> values(String bootstrapServers, String topic, String groupId,
                                             OffsetsInitializer startingOffsets) {
        return KafkaSource.<String>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(startingOffsets)
                // Kafka's own deserializer: a null value (tombstone) becomes a dead letter, not a crash.
                .setDeserializer(KafkaRecordDeserializationSchema.valueOnly(StringDeserializer.class))
                // Fewer, fuller fetches: at a few hundred records per second a fetch per record costs the broker
                // more than the records; a row is at most this much later in the online store.
                .setProperty(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "65536")
                .setProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50")
                .build();
    }

    /** A transactional sink: its records become visible to read-committed consumers with each checkpoint. */
    public static <T> KafkaSink<T> exactlyOnce(String bootstrapServers, String transactionalIdPrefix,
                                               KafkaRecordSerializationSchema<T> serializer) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                // Within a stock broker's transaction.max.timeout.ms (15 min); the connector's default is 1 h.
                .setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(Duration.ofMinutes(15).toMillis()))
                .build();
    }

    /** Dead letters to {@code topic}: the payload as the value, the reason in {@link DeadLetter#ERROR_HEADER}. */
    public static KafkaSink<DeadLetter> deadLetters(String bootstrapServers, String topic, String transactionalIdPrefix) {
        return exactlyOnce(bootstrapServers, transactionalIdPrefix, (letter, context, timestamp) ->
                new ProducerRecord<>(topic, null, null, null, utf8(letter.payload()),
                        List.of(new RecordHeader(DeadLetter.ERROR_HEADER, utf8(letter.error())))));
    }

    public static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
