package dev.mlplatform.bench;

import com.sun.net.httpserver.HttpServer;
import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.core.events.TransactionValidator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A real HTTP server on a free port standing in for the gateway in the load generators' tests: it
 * checks the API key and the transaction, answers 503 for every transaction whose sequence number is
 * a multiple of ten, and a decision for the others (DECLINE above 200 EUR), which it also hands to a
 * listener (the way fraud-service publishes it).
 */
final class FakeGateway implements AutoCloseable {

    static final String KEY = "test-key";

    static {
        // Without it the JDK's server delays small answers by 40 ms (Nagle against delayed ACKs).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    final AtomicInteger wrongKey = new AtomicInteger();
    final ConcurrentLinkedQueue<String> invalid = new ConcurrentLinkedQueue<>();

    FakeGateway(Consumer<String> published) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext(Platform.SCORE_PATH, exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status;
            String answer;
            if (!KEY.equals(exchange.getRequestHeaders().getFirst("X-API-Key"))) {
                wrongKey.incrementAndGet();
                status = 401;
                answer = "{\"title\":\"Unauthorized\"}";
            } else {
                TransactionEvent tx = EventJson.MAPPER.readValue(body, TransactionEvent.class);
                List<TransactionValidator.FieldError> errors = TransactionValidator.validate(tx, Instant.now());
                long sequence = Long.parseLong(tx.transactionId().substring(tx.transactionId().lastIndexOf('-') + 1));
                if (!errors.isEmpty()) {
                    invalid.add(errors.toString());
                    status = 400;
                    answer = "{\"title\":\"Bad Request\"}";
                } else if (sequence % 10 == 0) {
                    status = 503;
                    answer = "{\"title\":\"Service Unavailable\"}";
                } else {
                    status = 200;
                    answer = decision(tx);
                    published.accept(answer);
                }
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    /** What fraud-service answers for {@code tx}: DECLINE above 200, else APPROVE. */
    static String decision(TransactionEvent tx) {
        boolean decline = tx.amount().doubleValue() > 200;
        return "{\"transactionId\":\"" + tx.transactionId() + "\",\"decision\":\"" + (decline ? "DECLINE" : "APPROVE")
                + "\",\"riskScore\":" + (decline ? "0.9" : "0.1") + ",\"reasons\":[],\"degraded\":false}";
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
