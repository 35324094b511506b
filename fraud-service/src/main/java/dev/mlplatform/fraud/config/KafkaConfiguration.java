package dev.mlplatform.fraud.config;

import dev.mlplatform.core.events.CardTokenizer;
import dev.mlplatform.fraud.decision.DecisionStore;
import dev.mlplatform.fraud.scoring.InvalidTransactionException;
import dev.mlplatform.fraud.stream.DeadLetterRecoverer;
import dev.mlplatform.fraud.stream.KafkaDecisionPublisher;
import dev.mlplatform.fraud.stream.KafkaLabelPublisher;
import dev.mlplatform.fraud.stream.OutboxRelay;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mlplatform.core.events.EventJson;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Kafka in and out: string keys (card tokens; merchant ids on the labels topic) and JSON byte values;
 * the topics, created when missing; the error handler that sends undecidable records to the dead-letter
 * topic and retries everything else (a database outage stalls the consumer instead of losing transactions).
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

    @Bean
    DefaultKafkaProducerFactoryCustomizer fraudProducerSettings() {
        return factory -> factory.updateConfigs(Map.of(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // Events are announcements, not answers: 20 ms of batching makes far fewer produce requests.
                ProducerConfig.LINGER_MS_CONFIG, 20,
                // A missing broker must not hold the publisher thread for the default minute.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000));
    }

    @Bean
    DefaultKafkaConsumerFactoryCustomizer fraudConsumerSettings() {
        return factory -> factory.updateConfigs(Map.of(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500,
                // Fewer, fuller fetches (and offset commits): a fetch per record costs the broker more than the
                // record at a few hundred per second; a Kafka transaction waits at most this much longer.
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 65_536,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50));
    }

    @Bean
    KafkaAdmin.NewTopics fraudTopics(FraudProperties properties) {
        FraudProperties.Topics topics = properties.topics();
        return new KafkaAdmin.NewTopics(
                TopicBuilder.name(topics.transactions()).partitions(topics.partitions()).build(),
                TopicBuilder.name(topics.decisions()).partitions(topics.partitions()).build(),
                TopicBuilder.name(topics.deadLetter()).partitions(1).build(),
                TopicBuilder.name(topics.labels()).partitions(topics.partitions()).build());
    }

    @Bean
    DefaultErrorHandler transactionErrorHandler(KafkaTemplate<String, byte[]> kafka, FraudProperties properties) {
        DeadLetterRecoverer recoverer = new DeadLetterRecoverer(kafka, properties.topics().deadLetter(),
                CardTokenizer.fromEnvironment());
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        handler.addNotRetryableExceptions(InvalidTransactionException.class);
        return handler;
    }

    @Bean(destroyMethod = "close")
    KafkaDecisionPublisher decisionPublisher(KafkaTemplate<String, byte[]> kafka, FraudProperties properties,
                                             DecisionStore store, MeterRegistry meters) {
        return new KafkaDecisionPublisher(kafka, properties.topics().transactions(), properties.topics().decisions(),
                store, EventJson.MAPPER.rebuild()
                .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
                .build(), 20_000, meters);
    }

    @Bean
    KafkaLabelPublisher labelPublisher(KafkaTemplate<String, byte[]> kafka, FraudProperties properties) {
        return new KafkaLabelPublisher(kafka, properties.topics().labels(), properties.api().labelAckTimeout());
    }

    @Bean
    OutboxRelay outboxRelay(DecisionStore store, KafkaDecisionPublisher publisher, Clock clock) {
        return new OutboxRelay(store, publisher, clock, Duration.ofSeconds(30), 1_000);
    }
}
