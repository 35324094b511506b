package dev.mlplatform.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.db.Databases;
import dev.mlplatform.featurestore.FeatureStoreConnection;
import dev.mlplatform.jobs.common.DeadLetter;
import dev.mlplatform.jobs.fraud.FraudFeatureJob;
import dev.mlplatform.jobs.recsys.RecsysFeatureJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The launcher's own components against the real servers: the prerequisites pass on this machine, and
 * Kafka plus the Flink MiniCluster start, run the fraud and the recsys feature jobs side by side on the
 * launcher's topics, and stop leaving their ports free. The services are not spawned here.
 */
class LocalStackIT {

    private static final String DATABASE = "mlplatform_test";

    @Test
    void theLocalPostgresAndRedisPassTheChecks() {
        assertThat(Prerequisites.postgres("127.0.0.1", 5432, "postgres", "")).isEmpty();
        assertThat(Prerequisites.redis("127.0.0.1", 6379)).isEmpty();
    }

    @Test
    void kafkaAndFlinkStartRunBothFeatureJobsAndStopCleanly() throws Exception {
        Databases.createIfMissing("127.0.0.1", 5432, "postgres", "", DATABASE);
        int restPort = PrerequisitesTest.freePort();
        KafkaBroker kafka = KafkaBroker.start("localhost", 0, Path.of("target", "it-kafka"));
        String bootstrap = kafka.bootstrapServers();
        FlinkJobs flink = null;
        try {
            assertThat(kafka.topics()).containsAll(KafkaBroker.TOPICS);

            FeatureStoreConnection store = new FeatureStoreConnection("redis://127.0.0.1:6379/0",
                    "jdbc:postgresql://127.0.0.1:5432/" + DATABASE, "postgres", "");
            FraudFeatureJob.Config job = FlinkJobs.fraudFeaturesConfig(bootstrap, store);
            job = new FraudFeatureJob.Config(job.bootstrapServers(), job.transactionsTopic(), job.labelsTopic(), job.lateTopic(),
                    job.deadLetterTopic(), job.groupId(), job.maxOutOfOrderness(), job.allowedLateness(), job.idleTimeout(),
                    Duration.ofSeconds(1), job.parallelism(), job.featureStore());
            RecsysFeatureJob.Config recsys = FlinkJobs.recsysFeaturesConfig(bootstrap, store,
                    Path.of("target", "it-lake").toAbsolutePath());
            recsys = new RecsysFeatureJob.Config(recsys.bootstrapServers(), recsys.interactionsTopic(), recsys.itemsTopic(),
                    recsys.deadLetterTopic(), recsys.groupId(), recsys.lakeDir(), recsys.maxOutOfOrderness(),
                    recsys.idleTimeout(), recsys.unknownItemGrace(), Duration.ofSeconds(1), recsys.parallelism(),
                    recsys.featureStore());
            flink = FlinkJobs.start(restPort, Path.of("target", "it-flink").toAbsolutePath(), job, recsys,
                    Duration.ofMinutes(2));
            assertThat(Prerequisites.accepts("localhost", restPort)).isTrue();
            assertThat(flink.recsysFeaturesJobId()).isNotEqualTo(flink.fraudFeaturesJobId());

            // Each job reads the launcher's topic: a record that is not an event comes out as a dead letter.
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(FraudFeatureJob.TRANSACTIONS_TOPIC, "k", "{not json")).get();
                producer.send(new ProducerRecord<>(RecsysFeatureJob.INTERACTIONS_TOPIC, "u", "{not an interaction")).get();
            }
            assertThat(consume(bootstrap, FraudFeatureJob.DEAD_LETTER_TOPIC)).singleElement().satisfies(record -> {
                assertThat(record.value()).isEqualTo("{not json");
                assertThat(error(record)).startsWith("malformed JSON");
            });
            assertThat(consume(bootstrap, RecsysFeatureJob.DEAD_LETTER_TOPIC)).singleElement().satisfies(record -> {
                assertThat(record.value()).isEqualTo("{not an interaction");
                assertThat(error(record)).startsWith("malformed JSON");
            });
        } finally {
            if (flink != null) {
                flink.close();
            }
            kafka.close();
        }
        assertThat(Prerequisites.free(restPort)).isTrue();
        int kafkaPort = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        assertThat(Prerequisites.accepts("localhost", kafkaPort)).isFalse();
    }

    private static String error(ConsumerRecord<String, String> record) {
        return new String(record.headers().lastHeader(DeadLetter.ERROR_HEADER).value(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<String, String>> consume(String bootstrap, String topic) {
        // Read committed records only: the job's sinks are exactly-once and commit on checkpoints.
        var config = new java.util.HashMap<String, Object>();
        config.put("bootstrap.servers", bootstrap);
        config.put("isolation.level", "read_committed");
        config.put("enable.auto.commit", false);
        List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(config,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
