package dev.mlplatform.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Http1ConnectionTest {

    private HttpServer server;
    private final AtomicInteger connections = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/echo", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String reply = exchange.getRequestHeaders().getFirst("X-API-Key") + ":" + new String(body, StandardCharsets.UTF_8);
            byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.createContext("/chunked", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("first-".getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write("second".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void sendsRequestsOnOneKeptAliveConnectionAndReadsLengthDelimitedAndChunkedBodies() throws IOException {
        try (Http1Connection http = new Http1Connection(uri("/"), Duration.ofSeconds(2), Duration.ofSeconds(5))) {
            for (int i = 0; i < 3; i++) {
                byte[] request = Http1Connection.post(uri("/echo"), "application/json", Map.of("X-API-Key", "k" + i),
                        ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
                Http1Connection.Response response = http.exchange(request);
                assertThat(response.status()).isEqualTo(201);
                assertThat(response.bodyText()).isEqualTo("k" + i + ":{\"n\":" + i + "}");
            }
            Http1Connection.Response chunked = http.exchange(Http1Connection.post(uri("/chunked"), "text/plain",
                    Map.of(), new byte[0]));
            assertThat(chunked.status()).isEqualTo(200);
            assertThat(chunked.bodyText()).isEqualTo("first-second");
        }
    }

    @Test
    void reusesTheConnectionUntilTheServerClosesIt() throws Exception {
        try (ServerSocket raw = new ServerSocket(0)) {
            Thread fake = new Thread(() -> {
                try {
                    for (int c = 0; c < 2; c++) {
                        try (Socket socket = raw.accept()) {
                            connections.incrementAndGet();
                            InputStream in = socket.getInputStream();
                            OutputStream out = socket.getOutputStream();
                            // Two answers on the first connection, the second says close; one on the next.
                            int answers = c == 0 ? 2 : 1;
                            for (int a = 0; a < answers; a++) {
                                readRequest(in);
                                String connection = c == 0 && a == 1 ? "Connection: close\r\n" : "";
                                out.write(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n" + connection + "\r\nok")
                                        .getBytes(StandardCharsets.US_ASCII));
                                out.flush();
                            }
                        }
                    }
                } catch (IOException ignored) {
                    // The test fails on what the client saw.
                }
            });
            fake.start();
            URI uri = URI.create("http://127.0.0.1:" + raw.getLocalPort() + "/x");
            byte[] request = Http1Connection.post(uri, "text/plain", Map.of(), "abc".getBytes(StandardCharsets.UTF_8));
            try (Http1Connection http = new Http1Connection(uri, Duration.ofSeconds(2), Duration.ofSeconds(5))) {
                for (int i = 0; i < 3; i++) {
                    assertThat(http.exchange(request).bodyText()).isEqualTo("ok");
                }
            }
            fake.join(5000);
            assertThat(connections).hasValue(2);
        }
    }

    @Test
    void aServerThatDoesNotAnswerInTimeIsAReadTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            URI uri = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/x");
            try (Http1Connection http = new Http1Connection(uri, Duration.ofSeconds(2), Duration.ofMillis(200))) {
                assertThatThrownBy(() -> http.exchange(Http1Connection.post(uri, "text/plain", Map.of(), new byte[1])))
                        .isInstanceOf(SocketTimeoutException.class);
            }
        }
    }

    @Test
    void buildsAPostWithItsHeadersAndLength() {
        byte[] request = Http1Connection.post(URI.create("http://localhost:8080/api/fraud/v1/score"), "application/json",
                Map.of("X-API-Key", "secret"), "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(request, StandardCharsets.ISO_8859_1))
                .startsWith("POST /api/fraud/v1/score HTTP/1.1\r\nHost: localhost:8080\r\n")
                .contains("Content-Length: 2\r\n").contains("X-API-Key: secret\r\n").endsWith("\r\n\r\n{}");
    }

    @Test
    void buildsAGetWithoutABody() {
        byte[] request = Http1Connection.request("GET", URI.create("http://localhost:8080/api/recs/v1/users/s-1/recommendations?k=10"),
                null, Map.of("X-API-Key", "secret"), null);
        assertThat(new String(request, StandardCharsets.ISO_8859_1)).isEqualTo(
                "GET /api/recs/v1/users/s-1/recommendations?k=10 HTTP/1.1\r\nHost: localhost:8080\r\nX-API-Key: secret\r\n\r\n");
    }

    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed");
            }
            head.append((char) c);
        }
        int length = Integer.parseInt(head.toString().replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        in.readNBytes(length);
    }
}
