package dev.mlplatform.bench;

import dev.mlplatform.core.registry.ArtifactStore;
import dev.mlplatform.core.registry.ModelRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where the running platform is, as {@code ./platform up} left it: the gateway, the Kafka broker,
 * the development API key ({@code PLATFORM_API_KEY} or {@code .platform/api-key}) and the
 * fraud-service's process id.
 */
public record Platform(URI gateway, String kafkaBootstrap, String apiKey, Path home) {

    public static final String TRANSACTIONS_TOPIC = "fraud.transactions.v1";
    public static final String DECISIONS_TOPIC = "fraud.decisions.v1";
    public static final String SCORE_PATH = "/api/fraud/v1/score";

    /** The platform as configured by the environment, {@code ./platform up}'s files and the defaults of DESIGN §7. */
    public static Platform fromEnvironment(Path home, Map<String, String> env) {
        URI gateway = URI.create(env.getOrDefault("PLATFORM_GATEWAY_URL", "http://localhost:8080"));
        String kafka = env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        String key = env.get("PLATFORM_API_KEY");
        if (key == null || key.isBlank()) {
            Path file = home.resolve(".platform").resolve("api-key");
            try {
                key = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
            } catch (IOException e) {
                key = null;
            }
        }
        return new Platform(gateway, kafka, key, home);
    }

    /**
     * The platform's model registry: {@code DB_URL}, {@code DB_USER}, {@code DB_PASSWORD} and
     * {@code MODEL_ARTIFACT_DIR} as {@code ./platform up} reads them.
     */
    public ModelRegistry modelRegistry(Map<String, String> env) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(env.getOrDefault("DB_URL", "jdbc:postgresql://127.0.0.1:5432/mlplatform"));
        dataSource.setUser(env.getOrDefault("DB_USER", "postgres"));
        dataSource.setPassword(env.getOrDefault("DB_PASSWORD", ""));
        String artifacts = env.get("MODEL_ARTIFACT_DIR");
        return new ModelRegistry(dataSource, new ArtifactStore(artifacts == null || artifacts.isBlank()
                ? home.resolve(".platform").resolve("artifacts") : home.resolve(artifacts)));
    }

    /**
     * Whether the gateway and Kafka accept connections; if not, a message telling the user to start the
     * platform.
     *
     * @throws NotRunningException naming what does not answer and how to start it
     */
    public void requireRunning(boolean needGateway, boolean needKafka) {
        if (needGateway) {
            int port = gateway.getPort() < 0 ? 80 : gateway.getPort();
            if (!accepts(gateway.getHost(), port)) {
                throw new NotRunningException("the platform is not running: nothing answers at " + gateway
                        + ". Start it with `./platform up` (in another terminal) and wait for its ready line.");
            }
            if (apiKey == null || apiKey.isBlank()) {
                throw new NotRunningException("no API key: `./platform up` writes it to .platform/api-key;"
                        + " or set PLATFORM_API_KEY to the key the gateway was started with.");
            }
        }
        if (needKafka) {
            String[] hostPort = kafkaBootstrap.split(",")[0].split(":");
            int port = hostPort.length > 1 ? Integer.parseInt(hostPort[1]) : 9092;
            if (!accepts(hostPort[0], port)) {
                throw new NotRunningException("the platform is not running: no Kafka broker at " + kafkaBootstrap
                        + ". Start it with `./platform up` (in another terminal) and wait for its ready line.");
            }
        }
    }

    /** The fraud-service's process id from {@code .platform/pids/fraud-service.pid}, if there is one. */
    public OptionalLong fraudServicePid() {
        Path file = home.resolve(".platform").resolve("pids").resolve("fraud-service.pid");
        try {
            return Files.isRegularFile(file)
                    ? OptionalLong.of(Long.parseLong(Files.readString(file).strip()))
                    : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The platform is not up: the message says how to start it. */
    public static final class NotRunningException extends RuntimeException {
        public NotRunningException(String message) {
            super(message);
        }
    }
}
