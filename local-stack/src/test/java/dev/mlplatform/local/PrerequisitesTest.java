package dev.mlplatform.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrerequisitesTest {

    @Test
    void aTakenPortIsNamedWithItsUserAndTheProcessHoldingIt() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            int port = taken.getLocalPort();

            List<Prerequisites.Problem> problems = new Prerequisites(new PortOwners()).ports(Map.of(port, "gateway"));

            assertThat(problems).singleElement().extracting(Prerequisites.Problem::message).asString()
                    .startsWith("port " + port + " (gateway) is already in use")
                    .contains("pid " + ProcessHandle.current().pid())
                    .endsWith("stop that process or free the port, then run ./platform up again.");
        }
    }

    @Test
    void aTakenPortWhoseOwnerCannotBeFoundSaysHowToFindIt() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            int port = taken.getLocalPort();
            PortOwners nobody = new PortOwners(java.nio.file.Path.of("/nonexistent-proc"));

            assertThat(new Prerequisites(nobody).ports(Map.of(port, "Kafka"))).singleElement()
                    .extracting(Prerequisites.Problem::message).asString()
                    .contains("port " + port + " (Kafka) is already in use")
                    .contains("ss -ltnp 'sport = :" + port + "'");
        }
    }

    @Test
    void freePortsAreNoProblem() throws IOException {
        int port = freePort();
        assertThat(new Prerequisites(new PortOwners()).ports(Map.of(port, "gateway"))).isEmpty();
    }

    @Test
    void anUnreachableRedisSaysHowToStartIt() throws IOException {
        int port = freePort();
        assertThat(Prerequisites.redis("127.0.0.1", port)).get().extracting(Prerequisites.Problem::message).asString()
                .startsWith("Redis is not reachable at 127.0.0.1:" + port)
                .contains("redis-server --daemonize yes");
    }

    @Test
    void aRedisThatWantsAPasswordIsToldApart() throws Exception {
        try (ServerSocket fake = new ServerSocket(0)) {
            Thread server = new Thread(() -> {
                try (Socket client = fake.accept()) {
                    client.getInputStream().read(new byte[64]);
                    client.getOutputStream().write("-NOAUTH Authentication required.\r\n".getBytes(StandardCharsets.US_ASCII));
                    client.getOutputStream().flush();
                } catch (IOException ignored) {
                    // The test fails on the answer, not here.
                }
            });
            server.start();

            Optional<Prerequisites.Problem> problem = Prerequisites.redis("127.0.0.1", fake.getLocalPort());
            server.join(5000);

            assertThat(problem).get().extracting(Prerequisites.Problem::message).asString()
                    .contains("requires a password");
        }
    }

    @Test
    void anUnreachablePostgresSaysHowToStartIt() throws IOException {
        int port = freePort();
        assertThat(Prerequisites.postgres("127.0.0.1", port, "postgres", "")).get()
                .extracting(Prerequisites.Problem::message).asString()
                .startsWith("Postgres is not reachable at 127.0.0.1:" + port)
                .contains("pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
    }

    @Test
    void anUnresolvableHostIsUnreachableNotAnError() {
        assertThat(Prerequisites.redis("no-such-host.invalid", 6379)).get()
                .extracting(Prerequisites.Problem::message).asString().contains("Redis is not reachable");
        assertThat(Prerequisites.postgres("no-such-host.invalid", 5432, "postgres", "")).get()
                .extracting(Prerequisites.Problem::message).asString().contains("Postgres is not reachable");
    }

    @Test
    void anOldJavaNamesTheVersionNeededAndHowToGetIt() {
        assertThat(Prerequisites.java(11)).get().extracting(Prerequisites.Problem::message).asString()
                .startsWith("Java 17 or newer is needed, this is Java 11")
                .contains("openjdk-17");
        assertThat(Prerequisites.java(17)).isEmpty();
        assertThat(Prerequisites.java(21)).isEmpty();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
