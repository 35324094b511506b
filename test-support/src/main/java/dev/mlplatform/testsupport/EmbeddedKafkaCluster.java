package dev.mlplatform.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker (KRaft, one combined broker/controller node) running inside this JVM, for
 * tests and for the local one-command platform.
 *
 * <p>Clients connect through a listener of its own ({@code CLIENT}) that binds the port asked for:
 * {@link #FREE_PORT} in tests, a fixed port such as 9092 for the local platform, so that processes
 * outside this JVM can connect too. The broker's internal listeners take free ports.
 *
 * <pre>{@code
 * try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().logDirectory(Path.of("target")).build().start()) {
 *     kafka.createTopics(2, "fraud.transactions.v1");
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    /** Port 0: the operating system picks a free port; {@link #bootstrapServers()} tells which. */
    public static final int FREE_PORT = 0;

    private static final String CLIENT_LISTENER = "CLIENT";
    private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(60);

    private final Path logDirectory;
    private final String host;
    private final int clientPort;
    private final boolean deleteOnClose;
    private final Map<String, String> brokerConfig;

    private KafkaClusterTestKit cluster;
    private Path clusterDirectory;
    private Admin admin;
    private KafkaProducer<String, String> producer;

    private EmbeddedKafkaCluster(Builder builder) {
        this.logDirectory = builder.logDirectory;
        this.host = builder.host;
        this.clientPort = builder.clientPort;
        this.deleteOnClose = builder.deleteOnClose;
        this.brokerConfig = Map.copyOf(builder.brokerConfig);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Formats a fresh log directory, starts the broker and waits until it accepts clients. */
    public synchronized EmbeddedKafkaCluster start() {
        if (cluster != null) {
            return this;
        }
        if (clientPort != FREE_PORT) {
            requirePortFree(host, clientPort);
        }
        KafkaClusterTestKit starting = null;
        try {
            Files.createDirectories(logDirectory);
            clusterDirectory = Files.createTempDirectory(logDirectory, "kafka-");
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(clusterDirectory)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(deleteOnClose);
            listenerConfig(nodes).forEach(builder::setConfigProp);
            singleNodeDefaults().forEach(builder::setConfigProp);
            brokerConfig.forEach(builder::setConfigProp);
            starting = builder.build();
            starting.format();
            starting.startup();
            starting.waitForReadyBrokers();
            cluster = starting;
            return this;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(starting);
            throw new IllegalStateException("interrupted while starting Kafka", e);
        } catch (Exception e) {
            closeQuietly(starting);
            throw new IllegalStateException("cannot start the embedded Kafka broker on " + host + ":" + clientPort
                    + ": " + e.getMessage(), e);
        }
    }

    /** {@code host:port} of the client listener, for {@code bootstrap.servers}. */
    public synchronized String bootstrapServers() {
        requireStarted();
        int port = cluster.brokers().values().iterator().next().boundPort(ListenerName.normalised(CLIENT_LISTENER));
        return host + ":" + port;
    }

    /** The directory holding this broker's metadata and logs (below the configured log directory). */
    public synchronized Path clusterDirectory() {
        requireStarted();
        return clusterDirectory;
    }

    /** The minimal client configuration: {@code bootstrap.servers}. */
    public Map<String, Object> clientProperties() {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    }

    /**
     * Creates each topic with {@code partitions} partitions (replication factor 1) unless it exists,
     * and returns once every partition has a leader, so that producers and consumers can use it at once.
     */
    public void createTopics(int partitions, String... names) {
        List<NewTopic> topics = Arrays.stream(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList();
        Admin client = admin();
        for (var entry : client.createTopics(topics).values().entrySet()) {
            try {
                entry.getValue().get(OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + entry.getKey(), e.getCause());
                }
            } catch (InterruptedException | TimeoutException e) {
                throw failure("creating topic " + entry.getKey(), e);
            }
        }
        awaitLeaders(client, Set.of(names));
    }

    /** Creates one topic; see {@link #createTopics(int, String...)}. */
    public void createTopic(String name, int partitions) {
        createTopics(partitions, name);
    }

    /** The names of the topics that exist, internal ones excluded. */
    public Set<String> topicNames() {
        try {
            return admin().listTopics().names().get(OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw failure("listing topics", e);
        }
    }

    /** Sends one record (partition chosen by its key) and waits for the broker to acknowledge it. */
    public RecordMetadata send(String topic, String key, String value) {
        return send(new ProducerRecord<>(topic, key, value));
    }

    /** Sends one record as given (partition, headers, timestamp) and waits for the broker to acknowledge it. */
    public RecordMetadata send(ProducerRecord<String, String> record) {
        try {
            return producer().send(record).get(OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw failure("sending to " + record.topic(), e);
        }
    }

    /**
     * Reads {@code topic} from the beginning until {@code expected} records arrived or {@code timeout}
     * passed, and returns what was read (possibly more or fewer than expected, for the caller to assert).
     * Only committed records are read, so the output of transactional (exactly-once) producers counts
     * once their transaction commits.
     */
    public List<ConsumerRecord<String, String>> consume(String topic, int expected, Duration timeout) {
        Map<String, Object> config = new HashMap<>(clientProperties());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition()))
                        .toList();
                if (partitions.isEmpty()) {
                    sleep(Duration.ofMillis(100));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Stops the broker and, unless told otherwise, deletes its directory. Calling it twice is harmless. */
    public synchronized void stop() {
        if (cluster == null) {
            return;
        }
        closeQuietly(producer);
        closeQuietly(admin);
        producer = null;
        admin = null;
        KafkaClusterTestKit stopping = cluster;
        cluster = null;
        try {
            stopping.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping Kafka", e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not stop cleanly: " + e.getMessage(), e);
        }
    }

    public synchronized boolean isRunning() {
        return cluster != null;
    }

    @Override
    public void close() {
        stop();
    }

    private Map<String, String> listenerConfig(TestKitNodes nodes) {
        // The test kit pre-binds free ports for its broker and controller listeners; clients get a
        // listener of their own so that it can bind a fixed port.
        String broker = nodes.brokerListenerName().value();
        String controller = nodes.controllerListenerName().value();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("listeners", broker + "://localhost:0," + controller + "://localhost:0,"
                + CLIENT_LISTENER + "://" + host + ":" + clientPort);
        config.put("listener.security.protocol.map",
                broker + ":PLAINTEXT," + controller + ":PLAINTEXT," + CLIENT_LISTENER + ":PLAINTEXT");
        return config;
    }

    private static Map<String, String> singleNodeDefaults() {
        // Internal topics default to three replicas, which a single node can never host.
        Map<String, String> config = new LinkedHashMap<>();
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "4");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "4");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        // Flink's exactly-once Kafka sink keeps transactions open up to its 1 h default timeout.
        config.put("transaction.max.timeout.ms", String.valueOf(Duration.ofHours(1).toMillis()));
        return config;
    }

    private synchronized Admin admin() {
        requireStarted();
        if (admin == null) {
            admin = Admin.create(clientProperties());
        }
        return admin;
    }

    private synchronized KafkaProducer<String, String> producer() {
        requireStarted();
        if (producer == null) {
            Map<String, Object> config = new HashMap<>(clientProperties());
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    private void awaitLeaders(Admin client, Set<String> topics) {
        long deadline = System.nanoTime() + OPERATION_TIMEOUT.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = client.describeTopics(topics).allTopicNames()
                        .get(OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                boolean ready = descriptions.values().stream()
                        .flatMap(description -> description.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
                if (ready) {
                    return;
                }
            } catch (ExecutionException e) {
                // The metadata has not reached the broker yet: ask again.
            } catch (InterruptedException | TimeoutException e) {
                throw failure("waiting for leaders of " + topics, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + topics.stream().sorted().collect(Collectors.joining(", "))
                        + " have no leader after " + OPERATION_TIMEOUT);
            }
            sleep(Duration.ofMillis(50));
        }
    }

    private void requireStarted() {
        if (cluster == null) {
            throw new IllegalStateException("the embedded Kafka broker is not running: call start() first");
        }
    }

    private static void requirePortFree(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on " + host + " is already in use: stop the process"
                    + " that holds it (for example another Kafka broker) or choose another port", e);
        }
    }

    private static IllegalStateException failure(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return new IllegalStateException("Kafka: failed " + what + ": " + cause.getMessage(), cause);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception ignored) {
            // Already failing or stopping: the first error is the one worth reporting.
        }
    }

    /** Settings of a broker; every default suits a test. */
    public static final class Builder {
        private Path logDirectory = Path.of(System.getProperty("java.io.tmpdir"));
        private String host = "localhost";
        private int clientPort = FREE_PORT;
        private boolean deleteOnClose = true;
        private final Map<String, String> brokerConfig = new HashMap<>();

        private Builder() {
        }

        /** The broker gets a fresh directory below this one (default: {@code java.io.tmpdir}). */
        public Builder logDirectory(Path directory) {
            this.logDirectory = directory;
            return this;
        }

        /** The host name the client listener binds and advertises (default {@code localhost}). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The client port: {@link #FREE_PORT} (default) or a fixed port such as 9092. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("not a TCP port: " + port);
            }
            this.clientPort = port;
            return this;
        }

        /** Whether {@link #stop()} deletes the broker's directory (default true). */
        public Builder deleteOnClose(boolean deleteOnClose) {
            this.deleteOnClose = deleteOnClose;
            return this;
        }

        /** Any broker setting, for example {@code num.partitions}; applied after the defaults. */
        public Builder brokerConfig(String key, String value) {
            this.brokerConfig.put(key, value);
            return this;
        }

        public EmbeddedKafkaCluster build() {
            return new EmbeddedKafkaCluster(this);
        }
    }
}
