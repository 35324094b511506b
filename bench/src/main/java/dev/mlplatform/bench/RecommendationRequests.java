package dev.mlplatform.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;

/**
 * Recommendations of users drawn uniformly at random from the population {@code bench recs-load} loaded (its users
 * {@code 0 .. users-1}), {@code k} items each.
 */
final class RecommendationRequests implements RequestSource {

    private final int users;
    private final int k;
    private final SplittableRandom random;

    RecommendationRequests(int users, int k, long seed) {
        this.users = users;
        this.k = k;
        this.random = new SplittableRandom(seed);
    }

    /** The request for one user's list. */
    static String path(String userId, int k) {
        return "/api/recs/v1/users/" + userId + "/recommendations?k=" + k;
    }

    /**
     * Asks for the last user's list once and returns the model versions it names: a cold start there means that
     * recs-load has not loaded that many users (or Redis lost them), and the run would measure cold starts.
     *
     * @throws IllegalStateException when the list is not a loaded user's
     */
    static String requireLoaded(Platform platform, int users, int k) throws IOException {
        String userId = RecsLoad.userId(users - 1);
        URI uri = platform.gateway().resolve(path(userId, k));
        try (Http1Connection http = new Http1Connection(uri, Duration.ofSeconds(5), Duration.ofSeconds(10))) {
            Http1Connection.Response response = http.exchange(Http1Connection.request("GET", uri, null,
                    Map.of("Accept", "application/json", "X-API-Key", platform.apiKey()), null));
            if (response.status() != 200) {
                throw new IllegalStateException("GET " + uri + " answered HTTP " + response.status() + ": "
                        + response.bodyText());
            }
            JsonNode list = ResultFiles.JSON_LINE.readTree(response.body());
            if (list.path("coldStart").asBoolean(true)) {
                throw new IllegalStateException("user " + userId + " is a cold start: load the users first with "
                        + "`./platform bench recs-load --users " + users + "`, or pass the --users it loaded");
            }
            return list.path("modelVersions").toString();
        }
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String target() {
        return path("{userId}", k);
    }

    @Override
    public Request next() {
        return new Request(method(), path(RecsLoad.userId(random.nextInt(users)), k), null);
    }
}
