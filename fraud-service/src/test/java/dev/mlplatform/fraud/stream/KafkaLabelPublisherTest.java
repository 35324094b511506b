package dev.mlplatform.fraud.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.FraudLabel;
import dev.mlplatform.core.events.BrokerAcknowledgement.NotAcknowledgedException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/** The publisher's side of a label report: what it sends, and every way the broker can fail to acknowledge it. */
class KafkaLabelPublisherTest {

    private static final FraudLabel LABEL = new FraudLabel("tx-000001", "m-9", Instant.parse("2026-11-26T10:15:30Z"),
            Instant.parse("2026-11-29T08:00:00Z"));

    /** Records what is sent and answers with a given future instead of a broker. */
    private static final class StubKafka extends KafkaTemplate<String, byte[]> {

        final List<ProducerRecord<String, byte[]>> sent = new ArrayList<>();
        private final CompletableFuture<SendResult<String, byte[]>> answer;

        StubKafka(CompletableFuture<SendResult<String, byte[]>> answer) {
            super(new DefaultKafkaProducerFactory<>(Map.of()));
            this.answer = answer;
        }

        @Override
        public CompletableFuture<SendResult<String, byte[]>> send(String topic, String key, byte[] data) {
            sent.add(new ProducerRecord<>(topic, key, data));
            return answer;
        }
    }

    @Test
    void sendsTheLabelAsEventJsonKeyedByMerchantAndReturnsOnceAcknowledged() {
        StubKafka kafka = new StubKafka(CompletableFuture.completedFuture(null));

        new KafkaLabelPublisher(kafka, "labels", Duration.ofSeconds(1)).publish(LABEL);

        assertThat(kafka.sent).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo("labels");
            assertThat(record.key()).isEqualTo("m-9");
            assertThat(EventJson.MAPPER.readValue(record.value(), FraudLabel.class)).isEqualTo(LABEL);
        });
    }

    @Test
    void givesUpWhenTheBrokerDoesNotAcknowledgeInTime() {
        KafkaLabelPublisher publisher = new KafkaLabelPublisher(new StubKafka(new CompletableFuture<>()), "labels",
                Duration.ofMillis(50));

        assertThatThrownBy(() -> publisher.publish(LABEL)).isInstanceOf(NotAcknowledgedException.class)
                .hasMessageContaining("tx-000001").hasMessageContaining("within 50 ms");
    }

    @Test
    void reportsALabelTheBrokerRefused() {
        KafkaLabelPublisher publisher = new KafkaLabelPublisher(new StubKafka(CompletableFuture.failedFuture(
                new NotLeaderOrFollowerException("leader moved"))), "labels", Duration.ofSeconds(1));

        assertThatThrownBy(() -> publisher.publish(LABEL)).isInstanceOf(NotAcknowledgedException.class)
                .hasMessageContaining("not delivered").hasCauseInstanceOf(NotLeaderOrFollowerException.class);
    }

    @Test
    void reportsALabelThatCouldNotBeSentForWantOfABroker() {
        DefaultKafkaProducerFactory<String, byte[]> noBroker = new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 300));
        try {
            KafkaLabelPublisher publisher = new KafkaLabelPublisher(new KafkaTemplate<>(noBroker), "labels",
                    Duration.ofSeconds(5));

            assertThatThrownBy(() -> publisher.publish(LABEL)).isInstanceOf(NotAcknowledgedException.class)
                    .hasMessageContaining("could not be sent");
        } finally {
            noBroker.destroy();
        }
    }
}
