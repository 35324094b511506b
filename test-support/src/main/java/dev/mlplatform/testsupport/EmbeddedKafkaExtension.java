package dev.mlplatform.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives JUnit tests a running {@link EmbeddedKafkaCluster}: one broker per test JVM, started by the
 * first test class that asks for it and stopped when the test run ends, because starting a broker
 * costs seconds. Tests share it, so each test uses topic names of its own.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
 *
 * @Test
 * void routesMalformedRecordsToTheDeadLetterTopic() {
 *     KAFKA.cluster().createTopics(2, "in-" + id, "dlq-" + id);
 *     ...
 * }
 * }</pre>
 *
 * or {@code @ExtendWith(EmbeddedKafkaExtension.class)} and an {@code EmbeddedKafkaCluster} parameter.
 * The broker's files go below {@code target/} when the working directory has one (as under Maven).
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EmbeddedKafkaExtension.class);

    private volatile EmbeddedKafkaCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = shared(context);
    }

    /** The running broker; available from {@code @BeforeAll} methods on. */
    public EmbeddedKafkaCluster cluster() {
        EmbeddedKafkaCluster running = cluster;
        if (running == null) {
            throw new IllegalStateException("the Kafka extension has not started yet: register it on a static field");
        }
        return running;
    }

    public String bootstrapServers() {
        return cluster().bootstrapServers();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EmbeddedKafkaCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return shared(extensionContext);
    }

    private static EmbeddedKafkaCluster shared(ExtensionContext context) {
        // The root store outlives every test class and closes its AutoCloseable values when the run ends.
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(EmbeddedKafkaCluster.class,
                key -> EmbeddedKafkaCluster.builder().logDirectory(defaultLogDirectory()).build().start(),
                EmbeddedKafkaCluster.class);
    }

    private static Path defaultLogDirectory() {
        Path target = Path.of("target");
        return Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
    }
}
