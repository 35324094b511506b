package dev.mlplatform.fraud;

import dev.mlplatform.testsupport.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * fraud-service started from its own jar as a separate process, against the test database, Redis and the
 * given broker: for tests that kill the service or take its broker away, which a context in the test JVM
 * cannot show. Its log goes to {@code target/<name>.log}.
 */
final class ServiceJar implements AutoCloseable {

    private static final Path JAR = Path.of("target", "fraud-service.jar");

    private final Process process;
    private final int port;

    private ServiceJar(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the service on {@code port} and waits until it is ready (a first start trains the small model).
     *
     * @param arguments further {@code --property=value} arguments (topics, consumer group)
     */
    static ServiceJar start(String name, int port, String bootstrapServers, List<String> arguments) throws Exception {
        if (!Files.exists(JAR)) {
            throw new AssertionError("no " + JAR + ": the service jar is built by `package`, before the ITs run");
        }
        Path log = Path.of("target", name + ".log");
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-Xmx512m", "-XX:+ExitOnOutOfMemoryError",
                "-jar", JAR.toString(),
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--spring.datasource.url=" + TestDatabase.jdbcUrl(),
                "--spring.datasource.username=" + TestDatabase.user(),
                "--spring.datasource.password=" + TestDatabase.password(),
                "--spring.datasource.hikari.maximum-pool-size=4",
                "--fraud.features.redis-url=" + FraudServiceEnvironment.redisUrl()));
        command.addAll(FraudServiceEnvironment.modelArguments());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServiceJar service = new ServiceJar(process, port);
        try {
            service.awaitReady(log);
        } catch (Exception | AssertionError e) {
            service.close();
            throw e;
        }
        return service;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    /** {@code kill -9}: no shutdown hook, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroy();
    }

    private void awaitReady(Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest readiness = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("fraud-service exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            try {
                if (http.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // Starting.
            }
            Thread.sleep(250);
        }
        throw new AssertionError("fraud-service not ready within 4 minutes; its log: " + log);
    }
}
