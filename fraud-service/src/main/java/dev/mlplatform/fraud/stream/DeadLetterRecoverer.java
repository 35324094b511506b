package dev.mlplatform.fraud.stream;

import dev.mlplatform.core.events.CardNumbers;
import dev.mlplatform.core.events.CardTokenizer;
import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.fraud.scoring.InvalidTransactionException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends a transaction record that cannot be decided to the dead-letter topic with the error in its
 * headers (Spring Kafka's {@code kafka_dlt-*} headers plus {@value #ERRORS_HEADER}, a JSON array of
 * {@code {field, message}}), after replacing any card number in it by its token: the dead-letter
 * topic holds no raw card number either.
 */
public final class DeadLetterRecoverer extends DeadLetterPublishingRecoverer {

    /** JSON array of the fields at fault, as the REST API reports them. */
    public static final String ERRORS_HEADER = "fraud-errors";

    private final CardTokenizer tokenizer;

    public DeadLetterRecoverer(KafkaOperations<?, ?> kafka, String deadLetterTopic, CardTokenizer tokenizer) {
        super(kafka, (record, exception) -> new TopicPartition(deadLetterTopic, -1));
        this.tokenizer = tokenizer;
        setHeadersFunction(DeadLetterRecoverer::errorHeaders);
    }

    @Override
    protected ProducerRecord<Object, Object> createProducerRecord(ConsumerRecord<?, ?> record,
                                                                  TopicPartition topicPartition, Headers headers,
                                                                  byte[] key, byte[] value) {
        Object originalKey = key != null ? new String(key, StandardCharsets.UTF_8) : record.key();
        Object originalValue = value != null ? value : record.value();
        Object maskedKey = originalKey instanceof String text ? maskText(text) : originalKey;
        Object maskedValue = originalValue instanceof byte[] bytes ? mask(bytes) : originalValue;
        return new ProducerRecord<>(topicPartition.topic(),
                topicPartition.partition() < 0 ? null : topicPartition.partition(), maskedKey, maskedValue, headers);
    }

    /** The record's value with the card number tokenised (JSON) or every card-number-like digit run redacted. */
    byte[] mask(byte[] value) {
        try {
            JsonNode tree = EventJson.MAPPER.readTree(value);
            if (tree instanceof ObjectNode object) {
                JsonNode pan = object.get("cardNumber");
                if (pan != null && (pan.isString() || pan.isNumber())) {
                    String digits = pan.isString() ? pan.stringValue() : pan.asString();
                    object.remove("cardNumber");
                    object.put("cardToken", tokenizer.tokenize(digits));
                }
                maskStrings(object);
                return EventJson.MAPPER.writeValueAsBytes(object);
            }
        } catch (JacksonException e) {
            // Not JSON: redact as text.
        }
        return maskText(new String(value, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    private static void maskStrings(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode child = field.getValue();
                if (child.isString() && !field.getKey().equals("cardToken")) {
                    String masked = maskText(child.stringValue());
                    if (!masked.equals(child.stringValue())) {
                        object.put(field.getKey(), masked);
                    }
                } else if (child.isContainer()) {
                    maskStrings(child);
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(DeadLetterRecoverer::maskStrings);
        }
    }

    static String maskText(String text) {
        return CardNumbers.redact(text);
    }

    private static Headers errorHeaders(ConsumerRecord<?, ?> record, Exception exception) {
        RecordHeaders headers = new RecordHeaders();
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidTransactionException invalid) {
                headers.add(ERRORS_HEADER, EventJson.MAPPER.writeValueAsBytes(invalid.errors().stream()
                        .map(error -> Map.of("field", error.field(), "message", maskText(error.message())))
                        .toList()));
                break;
            }
        }
        return headers;
    }
}
