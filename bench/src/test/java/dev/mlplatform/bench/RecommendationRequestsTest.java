package dev.mlplatform.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecommendationRequestsTest {

    private static final Pattern USER = Pattern.compile("/api/recs/v1/users/s-(\\d+)/recommendations\\?k=7");

    private HttpServer server;
    private ExecutorService threads;
    private final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();

    /**
     * Stands in for the gateway and recsys-service: users s-1 to s-20 are loaded, any other is a cold start; user s-3's
     * list fails (503); a request without the key or with a body is refused.
     */
    @BeforeEach
    void start() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        threads = Executors.newFixedThreadPool(4);
        server.setExecutor(threads);
        server.createContext("/api/recs/v1/users/", exchange -> {
            String target = exchange.getRequestURI().toString();
            received.add(exchange.getRequestMethod() + " " + target);
            Matcher user = USER.matcher(target);
            int number = user.matches() ? Integer.parseInt(user.group(1)) : 0;
            int status = !FakeGateway.KEY.equals(exchange.getRequestHeaders().getFirst("X-API-Key"))
                    || exchange.getRequestBody().readAllBytes().length > 0 ? 400 : number == 3 ? 503 : 200;
            byte[] answer = ("{\"userId\":\"s-" + number + "\",\"items\":[],\"modelVersions\":[\"generator-oracle:1\"],"
                    + "\"coldStart\":" + (number < 1 || number > 20) + ",\"degraded\":false}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        threads.shutdownNow();
    }

    private Platform platform(Path home) {
        return new Platform(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "localhost:1",
                FakeGateway.KEY, home);
    }

    @Test
    void drawsEveryLoadedUserAndNoOtherTheSameForTheSameSeed() {
        RecommendationRequests requests = new RecommendationRequests(20, 7, 5);
        RecommendationRequests again = new RecommendationRequests(20, 7, 5);
        Set<Integer> users = new TreeSet<>();

        for (int i = 0; i < 2000; i++) {
            RequestSource.Request request = requests.next();
            assertThat(request).isEqualTo(again.next());
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.body()).isNull();
            Matcher user = USER.matcher(request.path());
            assertThat(user.matches()).as(request.path()).isTrue();
            users.add(Integer.parseInt(user.group(1)));
        }

        assertThat(users).hasSize(20).first().isEqualTo(1);
        assertThat(users).last().isEqualTo(20);
        assertThat(requests.target()).isEqualTo("/api/recs/v1/users/{userId}/recommendations?k=7");
    }

    @Test
    void theOpenLoopSendsTheGetsThroughTheGatewayAndCountsFailuresByStatus(@TempDir Path home) throws Exception {
        // 200 requests/s for a second, no warm-up: 200 GETs.
        RestBench.Config config = new RestBench.Config(200, Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(5),
                4, 1000);

        RestBench.Result result = new RestBench(platform(home), config, new PrintStream(new ByteArrayOutputStream()))
                .run("recs-test", new RecommendationRequests(20, 7, 11));

        assertThat(result.sent()).isEqualTo(200);
        assertThat(received).hasSize(200).allSatisfy(request -> assertThat(request).startsWith("GET "));
        long toUser3 = received.stream().filter(request -> request.contains("/s-3/")).count();
        assertThat(toUser3).isPositive();
        assertThat(result.errors()).containsExactly(Map.entry("HTTP 503", toUser3));
        assertThat(result.ok()).isEqualTo(200 - toUser3);
        assertThat(result.latency().count()).isEqualTo(200 - toUser3);
    }

    @Test
    void aLoadedPopulationPassesItsCheckAndALargerOneDoesNot(@TempDir Path home) throws Exception {
        assertThat(RecommendationRequests.requireLoaded(platform(home), 20, 7)).isEqualTo("[\"generator-oracle:1\"]");
        List<String> asked = new ArrayList<>(received);
        assertThat(asked).containsExactly("GET /api/recs/v1/users/s-20/recommendations?k=7");

        assertThatThrownBy(() -> RecommendationRequests.requireLoaded(platform(home), 21, 7))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("user s-21 is a cold start")
                .hasMessageContaining("./platform bench recs-load --users 21");
    }
}
