package dev.mlplatform.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tiny service behind the gateway: records every request it gets and answers with a small JSON document; under
 * {@code /api/llm/v1/stream} it sends one server-sent event, waits until the test releases it, then sends a second.
 */
final class DownstreamServer implements AutoCloseable {

    static final String STREAM_PATH = "/api/llm/v1/stream";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final BlockingQueue<ReceivedRequest> received = new LinkedBlockingQueue<>();
    private final CountDownLatch secondEvent = new CountDownLatch(1);

    static {
        // Without it the JDK server's separate header and body writes meet delayed ACKs: 40 ms per response.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private DownstreamServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::echo);
        server.createContext(STREAM_PATH, this::stream);
        server.setExecutor(executor);
        server.start();
    }

    static DownstreamServer start() {
        try {
            return new DownstreamServer();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port nothing listens on: the address of a service that is down. */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next request that reached this server, waiting a little for it. */
    ReceivedRequest nextRequest() throws InterruptedException {
        ReceivedRequest request = received.poll(5, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("No request reached the downstream service");
        }
        return request;
    }

    void forgetReceived() {
        received.clear();
    }

    boolean hasReceivedNothingMore() {
        return received.isEmpty();
    }

    void releaseSecondEvent() {
        secondEvent.countDown();
    }

    boolean secondEventReleased() {
        return secondEvent.getCount() == 0;
    }

    private void echo(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            long length = body.transferTo(OutputStream.nullOutputStream());
            received.add(new ReceivedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders(), length));
        }
        byte[] answer = "{\"answeredBy\":\"downstream\"}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    private void stream(HttpExchange exchange) throws IOException {
        received.add(new ReceivedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders(), 0));
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write("data: first\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            // Longer than the test waits: if the gateway buffered, the test fails before this gives up.
            secondEvent.await(60, TimeUnit.SECONDS);
            out.write("data: second\n\n".getBytes(StandardCharsets.UTF_8));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        secondEvent.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    record ReceivedRequest(String method, String path, Headers headers, long bodyLength) {
    }
}
