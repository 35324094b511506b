package dev.mlplatform.local;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where everything of the local platform lives: the state directory ({@code .platform/} under the
 * repository), the servers it uses (Postgres, Redis, from the environment with the local defaults), the
 * ports it binds, and the development API key ({@code PLATFORM_API_KEY}, or a fresh random one).
 */
record PlatformConfig(
        Path home,
        String dbHost, int dbPort, String dbUser, String dbPassword, String dbName,
        String redisHost, int redisPort,
        int kafkaPort, int flinkRestPort, int fraudServicePort, int recsysServicePort, int gatewayPort,
        String apiKey, boolean apiKeyGenerated) {

    static final String KAFKA_HOST = "localhost";

    /** The configuration from {@code env}, with the repository at {@code home}. */
    static PlatformConfig fromEnvironment(Path home, Map<String, String> env) {
        String key = env.get("PLATFORM_API_KEY");
        boolean generated = key == null || key.isBlank();
        return new PlatformConfig(home.toAbsolutePath().normalize(),
                env.getOrDefault("DB_HOST", "127.0.0.1"), intOf(env, "DB_PORT", 5432),
                env.getOrDefault("DB_USER", "postgres"), env.getOrDefault("DB_PASSWORD", ""),
                env.getOrDefault("DB_NAME", "mlplatform"),
                env.getOrDefault("REDIS_HOST", "127.0.0.1"), intOf(env, "REDIS_PORT", 6379),
                9092, 8090, 8081, 8082, 8080,
                generated ? generateKey() : key.strip(), generated);
    }

    /** {@code mlp_dev_} and 32 random hex digits. */
    static String generateKey() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return "mlp_dev_" + HexFormat.of().formatHex(bytes);
    }

    /** Every port the platform binds, with what binds it. */
    Map<Integer, String> ports() {
        Map<Integer, String> ports = new LinkedHashMap<>();
        ports.put(gatewayPort, "gateway");
        ports.put(fraudServicePort, "fraud-service");
        ports.put(recsysServicePort, "recsys-service");
        ports.put(kafkaPort, "Kafka");
        ports.put(flinkRestPort, "Flink REST");
        return ports;
    }

    Path stateDir() {
        return home.resolve(".platform");
    }

    Path logDir() {
        return stateDir().resolve("logs");
    }

    Path pidDir() {
        return stateDir().resolve("pids");
    }

    Path pidFile() {
        return stateDir().resolve("platform.pid");
    }

    Path apiKeyFile() {
        return stateDir().resolve("api-key");
    }

    Path kafkaDir() {
        return stateDir().resolve("kafka");
    }

    Path flinkDir() {
        return stateDir().resolve("flink");
    }

    Path artifactDir() {
        return stateDir().resolve("artifacts");
    }

    Path tmpDir() {
        return stateDir().resolve("tmp");
    }

    String kafkaBootstrap() {
        return KAFKA_HOST + ":" + kafkaPort;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + dbHost + ":" + dbPort + "/" + dbName;
    }

    String redisUrl() {
        return "redis://" + redisHost + ":" + redisPort + "/0";
    }

    String gatewayUrl() {
        return "http://localhost:" + gatewayPort;
    }

    String fraudServiceUrl() {
        return "http://localhost:" + fraudServicePort;
    }

    String recsysServiceUrl() {
        return "http://localhost:" + recsysServicePort;
    }

    private static int intOf(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new LaunchException(name + " must be a port number, got '" + value + "'");
        }
    }

    @Override
    public String toString() {
        // Never print the key or the password by accident.
        return "PlatformConfig[home=" + home + ", db=" + dbHost + ":" + dbPort + "/" + dbName + ", redis=" + redisHost
                + ":" + redisPort + "]";
    }
}
