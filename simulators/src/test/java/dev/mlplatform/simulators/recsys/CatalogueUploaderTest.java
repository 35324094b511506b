package dev.mlplatform.simulators.recsys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.mlplatform.core.events.CatalogueItem;
import dev.mlplatform.core.events.EventJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CatalogueUploaderTest {

    private static final Instant PUBLISHED = Instant.parse("2026-01-01T00:00:00Z");

    private HttpServer server;
    private ExecutorService threads;
    private final Map<String, CatalogueItem> stored = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();

    /** Stands in for recsys-service: stores what it is given, refuses item {@code bad}, checks the key. */
    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        threads = Executors.newFixedThreadPool(8);
        server.setExecutor(threads);
        server.createContext(CatalogueUploader.ITEMS_PATH, exchange -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                String itemId = exchange.getRequestURI().getPath().substring(CatalogueUploader.ITEMS_PATH.length());
                CatalogueItem item = EventJson.MAPPER.readValue(exchange.getRequestBody().readAllBytes(), CatalogueItem.class);
                boolean accepted = exchange.getRequestMethod().equals("PUT") && item.itemId().equals(itemId)
                        && !itemId.equals("bad") && "k".equals(exchange.getRequestHeaders().getFirst("X-API-Key"));
                if (accepted) {
                    stored.put(itemId, item);
                }
                // Long enough for the uploader to have all it may in flight at once.
                Thread.sleep(5);
                byte[] answer = (accepted ? "{}" : "{\"title\":\"Bad Request\"}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(accepted ? 200 : 400, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
                exchange.close();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        threads.shutdownNow();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void putsEveryItemWithTheHeadersAndAtMostTheGivenNumberAtOnce() throws Exception {
        InteractionSimulator simulator = new InteractionSimulator(new InteractionSimulator.Config(1, 60, 1, 1, 1.0, 5));
        List<CatalogueItem> items = simulator.items().stream()
                .map(item -> CatalogueUploader.catalogueItem(item, "s-" + item.id(), PUBLISHED)).toList();

        new CatalogueUploader(url(), Map.of("X-API-Key", "k"), 3).put(items);

        assertThat(stored).hasSize(60);
        assertThat(stored.get("s-7")).isEqualTo(items.get(6));
        assertThat(stored.get("s-7").genres()).isEqualTo(simulator.items().get(6).genres());
        assertThat(mostInFlight.get()).isBetween(1, 3);
    }

    @Test
    void namesTheItemThatWasRefused() {
        InteractionSimulator.Item item = new InteractionSimulator(new InteractionSimulator.Config(1, 5, 1, 1, 1.0, 5))
                .items().get(0);
        List<CatalogueItem> items = List.of(CatalogueUploader.catalogueItem(item, "good", PUBLISHED),
                CatalogueUploader.catalogueItem(item, "bad", PUBLISHED));

        assertThatThrownBy(() -> new CatalogueUploader(url(), Map.of("X-API-Key", "k"), 2).put(items))
                .isInstanceOf(CatalogueUploader.UploadException.class)
                .hasMessageContaining("catalogue item bad was refused (HTTP 400)");
        assertThat(stored).containsOnlyKeys("good");
    }
}
