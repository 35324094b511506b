package dev.mlplatform.recsys.config;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
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

/**
 * Kafka in and out: string keys (user ids on interactions, item ids on the catalogue) and JSON byte values; the
 * topics, created when missing, the catalogue compacted (its latest record per item is the item).
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

    @Bean
    DefaultKafkaProducerFactoryCustomizer recsProducerSettings() {
        return factory -> factory.updateConfigs(Map.of(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // The caller waits for the acknowledgement: batch a little, not the 20 ms of pure announcements.
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000));
    }

    @Bean
    DefaultKafkaConsumerFactoryCustomizer recsConsumerSettings() {
        return factory -> factory.updateConfigs(Map.of(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                // Feedback is about lists shown from now on: a new consumer group starts at the end.
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500));
    }

    @Bean
    KafkaAdmin.NewTopics recsTopics(RecsysProperties properties) {
        RecsysProperties.Topics topics = properties.topics();
        return new KafkaAdmin.NewTopics(
                TopicBuilder.name(topics.interactions()).partitions(topics.partitions()).build(),
                TopicBuilder.name(topics.items()).partitions(topics.partitions())
                        .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT).build());
    }
}
