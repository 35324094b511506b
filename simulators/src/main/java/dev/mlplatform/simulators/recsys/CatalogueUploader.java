package dev.mlplatform.simulators.recsys;

import dev.mlplatform.core.events.CatalogueItem;
import dev.mlplatform.core.events.EventJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;

/**
 * Puts simulated catalogue items into the recommendation system the way any client adds them, through
 * {@code PUT /api/recs/v1/items/{itemId}} (stored in Postgres, announced on {@code recsys.items.v1}, recommendable at
 * once), on recsys-service itself or through the gateway, a bounded number of requests at a time.
 */
public final class CatalogueUploader {

    public static final String ITEMS_PATH = "/api/recs/v1/items/";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String baseUrl;
    private final Map<String, String> headers;
    private final int concurrency;

    /**
     * @param baseUrl     recsys-service's or the gateway's, such as {@code http://localhost:8080}
     * @param headers     sent with every request (the gateway's API key)
     * @param concurrency requests in flight at most
     */
    public CatalogueUploader(String baseUrl, Map<String, String> headers, int concurrency) {
        this.baseUrl = baseUrl;
        this.headers = Map.copyOf(headers);
        this.concurrency = concurrency;
    }

    /** A simulated item as the catalogue takes it, under {@code itemId}, published at {@code publishedAt}. */
    public static CatalogueItem catalogueItem(InteractionSimulator.Item item, String itemId, Instant publishedAt) {
        return new CatalogueItem(itemId, item.title(), item.genres(), List.of(),
                "A generated film of " + String.join(", ", item.genres()), publishedAt);
    }

    /**
     * Puts every item and waits for all the answers.
     *
     * @throws UploadException naming the first item that was refused or not answered
     */
    public void put(List<CatalogueItem> items) throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>(items.size());
        for (CatalogueItem item : items) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + ITEMS_PATH + item.itemId()))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(EventJson.MAPPER.writeValueAsBytes(item)));
            headers.forEach(request::header);
            inFlight.acquire();
            responses.add(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, failure) -> inFlight.release()));
        }
        for (int i = 0; i < items.size(); i++) {
            String itemId = items.get(i).itemId();
            HttpResponse<String> answered;
            try {
                answered = responses.get(i).join();
            } catch (CompletionException e) {
                throw new UploadException("catalogue item " + itemId + " was not answered: " + e.getCause(), e.getCause());
            }
            if (answered.statusCode() != 200) {
                throw new UploadException("catalogue item " + itemId + " was refused (HTTP " + answered.statusCode()
                        + "): " + answered.body(), null);
            }
        }
    }

    /** An item the service refused or did not answer for. */
    public static final class UploadException extends RuntimeException {
        public UploadException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
