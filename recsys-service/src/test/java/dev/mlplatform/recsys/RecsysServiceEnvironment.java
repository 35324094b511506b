package dev.mlplatform.recsys;

import dev.mlplatform.testsupport.EmbeddedKafkaCluster;
import dev.mlplatform.testsupport.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * What the service's integration tests run against: the local Postgres (database {@value TestDatabase#NAME}) and
 * Redis, one in-JVM Kafka broker, a real-time model and an A/B experiment named for this run, and short feedback
 * windows.
 *
 * <p>Every IT of the service imports this configuration and nothing else that shapes the context, so that they
 * share one context: open impressions live in Redis for every instance, and a second context would close, and
 * drop, the impressions of an experiment it does not run.
 */
@TestConfiguration(proxyBeanMethods = false)
public class RecsysServiceEnvironment {

    private static final String RUN = Long.toHexString(System.nanoTime());
    /** The registered item-item model that the service serves. */
    static final String MODEL = "recs-ease-it-" + RUN;
    static final String RETRIEVAL_MODEL = "recs-two-tower-it-" + RUN;
    /** The experiment every user is in: arm {@code control} serves the default policy, {@code no-mmr} without MMR. */
    static final String EXPERIMENT = "mmr-" + RUN;
    private static EmbeddedKafkaCluster kafka;

    static synchronized EmbeddedKafkaCluster kafka() {
        if (kafka == null) {
            EmbeddedKafkaCluster started = EmbeddedKafkaCluster.builder().logDirectory(Path.of("target")).build().start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "embedded-kafka-stop"));
            kafka = started;
        }
        return kafka;
    }

    @Bean
    DynamicPropertyRegistrar testServers() {
        return registry -> {
            registry.add("spring.kafka.bootstrap-servers", () -> kafka().bootstrapServers());
            registry.add("spring.datasource.url", TestDatabase::jdbcUrl);
            registry.add("spring.datasource.username", TestDatabase::user);
            registry.add("spring.datasource.password", TestDatabase::password);
            // A database of their own: a running platform's open impressions (db 0) would be closed by this
            // service's short attribution window first, and crowd out the tests' own.
            registry.add("recs.redis-url", () -> "redis://127.0.0.1:6379/12");
            registry.add("recs.store-timeout", () -> "500ms");
            registry.add("recs.model", () -> MODEL);
            registry.add("recs.retrieval-model", () -> RETRIEVAL_MODEL);
            registry.add("recs.artifact-dir", () -> "target/it-artifacts");
            registry.add("recs.topics.partitions", () -> "2");
            registry.add("recs.attribution-window", () -> "2s");
            registry.add("recs.impression-close", () -> "200ms");
            registry.add("recs.experiments." + EXPERIMENT + ".arms[0].name", () -> "control");
            registry.add("recs.experiments." + EXPERIMENT + ".arms[1].name", () -> "no-mmr");
            registry.add("recs.experiments." + EXPERIMENT + ".arms[1].policy.diversity", () -> "0");
        };
    }

    /** The feedback consumer starts at the log's end: wait until it has its partitions before producing. */
    static void awaitFeedbackConsumer(KafkaListenerEndpointRegistry listeners) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            MessageListenerContainer container = listeners.getListenerContainer("recs-feedback");
            if (container != null && container.getAssignedPartitions() != null
                    && !container.getAssignedPartitions().isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the feedback consumer never got its partitions");
    }
}
