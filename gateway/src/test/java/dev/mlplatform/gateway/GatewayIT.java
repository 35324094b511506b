package dev.mlplatform.gateway;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class GatewayIT {

    /** Unique per run, so that the clients' Redis buckets never collide with a parallel run's. */
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String CLIENT = "it-" + RUN;
    private static final String KEY = "key-" + UUID.randomUUID();
    private static final String TINY_CLIENT = "tiny-" + RUN;
    private static final String TINY_KEY = "key-" + UUID.randomUUID();
    private static final String BUSY_CLIENT = "busy-" + RUN;
    private static final String BUSY_KEY = "key-" + UUID.randomUUID();

    private static final DownstreamServer downstream = DownstreamServer.start();
    private static final int deadPort = DownstreamServer.closedPort();

    @Autowired
    private WebTestClient client;

    @Autowired
    private ReactiveStringRedisTemplate redis;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("FRAUD_SERVICE_URL", downstream::url);
        registry.add("LLM_SERVICE_URL", downstream::url);
        registry.add("RECSYS_SERVICE_URL", () -> "http://127.0.0.1:" + deadPort);
        registry.add("platform.gateway.clients." + CLIENT + ".key", () -> KEY);
        registry.add("platform.gateway.clients." + TINY_CLIENT + ".key", () -> TINY_KEY);
        registry.add("platform.gateway.rate-limit.clients." + TINY_CLIENT + ".replenish-rate", () -> 1);
        registry.add("platform.gateway.rate-limit.clients." + TINY_CLIENT + ".burst-capacity", () -> 2);
        registry.add("platform.gateway.clients." + BUSY_CLIENT + ".key", () -> BUSY_KEY);
        registry.add("platform.gateway.rate-limit.clients." + BUSY_CLIENT + ".replenish-rate", () -> 1000);
        registry.add("platform.gateway.rate-limit.clients." + BUSY_CLIENT + ".burst-capacity", () -> 100_000);
        registry.add("platform.gateway.request.access-log", () -> true);
    }

    @BeforeEach
    void allowSlowStreamsAndForgetEarlierRequests() {
        client = client.mutate().responseTimeout(Duration.ofSeconds(20)).build();
        downstream.forgetReceived();
    }

    @AfterAll
    static void stopDownstream() {
        downstream.close();
    }

    @Test
    void forwardsFraudCallsWithPathUnchangedRequestIdAndClientButNotTheKey() throws InterruptedException {
        EntityExchangeResult<byte[]> result = client.post().uri("/api/fraud/v1/score")
                .header("X-API-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"transactionId\":\"tx-1\"}")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().exists("X-RateLimit-Remaining")
                .expectBody().jsonPath("$.answeredBy").isEqualTo("downstream")
                .returnResult();

        DownstreamServer.ReceivedRequest received = downstream.nextRequest();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.path()).isEqualTo("/api/fraud/v1/score");
        assertThat(received.bodyLength()).isEqualTo("{\"transactionId\":\"tx-1\"}".length());
        assertThat(received.headers().getFirst("X-Client-Id")).isEqualTo(CLIENT);
        assertThat(received.headers().containsKey("X-API-Key")).isFalse();
        String requestId = result.getResponseHeaders().getFirst("X-Request-Id");
        assertThat(requestId).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(received.headers().getFirst("X-Request-Id")).isEqualTo(requestId);
    }

    @Test
    void passesAWellFormedRequestIdThroughAndReplacesAMalformedOne() throws InterruptedException {
        String ownId = "client-" + RUN + ":42";
        client.get().uri("/api/fraud/v1/decisions/tx-1").header("X-API-Key", KEY).header("X-Request-Id", ownId)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Request-Id", ownId);
        assertThat(downstream.nextRequest().headers().getFirst("X-Request-Id")).isEqualTo(ownId);

        String replaced = client.get().uri("/api/fraud/v1/decisions/tx-1").header("X-API-Key", KEY)
                .header("X-Request-Id", "{\"injected\":true}")
                .exchange()
                .expectStatus().isOk()
                .returnResult(byte[].class).getResponseHeaders().getFirst("X-Request-Id");
        assertThat(replaced).isNotBlank().isNotEqualTo("{\"injected\":true}");
        assertThat(downstream.nextRequest().headers().get("X-Request-Id")).containsExactly(replaced);
    }

    @Test
    void answersMissingKeyWith401Problem() {
        EntityExchangeResult<byte[]> result = client.post().uri("/api/fraud/v1/score")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("WWW-Authenticate", "ApiKey header=\"X-API-Key\"")
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://mlplatform.dev/problems/missing-api-key")
                .jsonPath("$.title").isEqualTo("Unauthorized")
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("X-API-Key"))
                .jsonPath("$.instance").isEqualTo("/api/fraud/v1/score")
                .returnResult();
        assertRequestIdInBody(result);
        assertThat(downstream.hasReceivedNothingMore()).isTrue();
    }

    @Test
    void answersWrongKeyWith401Problem() {
        client.get().uri("/api/fraud/v1/decisions/tx-1").header("X-API-Key", KEY + "x")
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://mlplatform.dev/problems/invalid-api-key")
                .jsonPath("$.status").isEqualTo(401);
        assertThat(downstream.hasReceivedNothingMore()).isTrue();
    }

    @Test
    void answers429WithRetryAfterOnceTheClientsBucketIsEmpty() throws InterruptedException {
        // Burst 2, one token a second: the first two pass; one of the next few must be refused even if a second
        // boundary refills a token in between.
        for (int i = 0; i < 2; i++) {
            client.get().uri("/api/fraud/v1/decisions/tx-" + i).header("X-API-Key", TINY_KEY)
                    .exchange().expectStatus().isOk();
            downstream.nextRequest();
        }
        EntityExchangeResult<byte[]> limited = null;
        for (int i = 0; i < 10 && limited == null; i++) {
            EntityExchangeResult<byte[]> result = client.get().uri("/api/fraud/v1/decisions/tx-more")
                    .header("X-API-Key", TINY_KEY)
                    .exchange().expectBody().returnResult();
            if (result.getStatus() == HttpStatus.TOO_MANY_REQUESTS) {
                limited = result;
            }
            else {
                downstream.nextRequest();
            }
        }

        assertThat(limited).as("a 429 within ten requests over a limit of two").isNotNull();
        assertThat(limited.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(Long.parseLong(limited.getResponseHeaders().getFirst("Retry-After"))).isBetween(1L, 2L);
        assertThat(new String(limited.getResponseBody()))
                .contains("\"type\":\"https://mlplatform.dev/problems/rate-limited\"")
                .contains("\"status\":429")
                .contains(TINY_CLIENT);
        // Another client's bucket is untouched.
        client.get().uri("/api/fraud/v1/decisions/tx-2").header("X-API-Key", KEY).exchange().expectStatus().isOk();
        downstream.nextRequest();
    }

    @Test
    void aBusyClientsTokensAreLeasedFromRedisInBatches() throws InterruptedException {
        // 1,000 a second: leases of 50, each good for a second. The first request takes a batch from Redis.
        String tokensKey = "gateway.rate_limit.{" + BUSY_CLIENT + "}.tokens";
        long scriptCallsBefore = scriptCalls();
        for (int i = 0; i < 50; i++) {
            client.get().uri("/api/fraud/v1/decisions/tx-busy-" + i).header("X-API-Key", BUSY_KEY)
                    .exchange().expectStatus().isOk();
            downstream.nextRequest();
            if (i == 0) {
                assertThat(redis.opsForValue().get(tokensKey).block()).isEqualTo(String.valueOf(100_000 - 50));
            }
        }
        // One script call per lease, not per request (a slow run may need a second lease; other Redis users
        // on the machine may add a few calls of their own).
        assertThat(scriptCalls() - scriptCallsBefore).isLessThan(25);
    }

    /** Lua script runs Redis has counted since it started. */
    private long scriptCalls() {
        Properties stats = redis.getConnectionFactory().getReactiveConnection().serverCommands().info("commandstats").block();
        long calls = 0;
        for (String command : List.of("cmdstat_evalsha", "cmdstat_eval")) {
            String value = stats.getProperty(command);
            if (value != null) {
                calls += Long.parseLong(value.replaceAll(".*calls=(\\d+).*", "$1"));
            }
        }
        return calls;
    }

    @Test
    void answers503ProblemNamingTheServiceWhenItIsDown(CapturedOutput output) {
        String requestId = "down-" + RUN;
        client.get().uri("/api/recs/v1/users/u-1/recommendations?k=10")
                .header("X-API-Key", KEY).header("X-Request-Id", requestId)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("X-Request-Id", requestId)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://mlplatform.dev/problems/upstream-unavailable")
                .jsonPath("$.status").isEqualTo(503)
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("recsys-service"))
                .jsonPath("$.requestId").isEqualTo(requestId);
        assertThat(linesAbout("/api/recs/v1/users/u-1/recommendations", output))
                .anySatisfy(line -> assertThat(line).contains("recsys-service"))
                .allSatisfy(line -> assertThat(line).contains("\"requestId\":\"" + requestId + "\""));
    }

    @Test
    void opensTheRoutesCircuitAfterRepeatedFailuresAndStillAnswers503() {
        // Twenty failed calls open the breaker (the configured minimum); the library default would need a hundred.
        for (int i = 0; i < 20; i++) {
            client.get().uri("/api/recs/v1/users/u-" + i + "/recommendations").header("X-API-Key", KEY)
                    .exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        }
        client.get().uri("/api/recs/v1/users/u-open/recommendations").header("X-API-Key", KEY)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(String.class,
                        detail -> assertThat(detail).contains("recsys-service").contains("circuit open"));

        String scrape = client.get().uri("/actuator/prometheus").exchange()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(scrape).containsPattern(
                "resilience4j_circuitbreaker_state\\{[^}]*name=\"recsys-service\"[^}]*state=\"open\"[^}]*} 1\\.0");
    }

    @Test
    void answers413ProblemForABodyOverTheRouteLimit() {
        byte[] body = new byte[1024 * 1024 + 1];
        client.post().uri("/api/fraud/v1/score").header("X-API-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://mlplatform.dev/problems/request-too-large")
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("fraud-service"));
        assertThat(downstream.hasReceivedNothingMore()).isTrue();
    }

    @Test
    void answers413ProblemForAChunkedBodyOverTheRouteLimit() {
        DefaultDataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;
        Flux<DataBuffer> chunks = Flux.range(0, 17).map(i -> buffers.wrap(new byte[64 * 1024]));
        client.post().uri("/api/fraud/v1/score").header("X-API-Key", KEY)
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .body(chunks, DataBuffer.class)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://mlplatform.dev/problems/request-too-large");
    }

    @Test
    void streamsServerSentEventsAsTheServiceSendsThem() throws InterruptedException {
        FluxExchangeResult<String> result = client.get().uri(DownstreamServer.STREAM_PATH)
                .header("X-API-Key", KEY)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isOk()
                .returnResult(String.class);

        StepVerifier.create(result.getResponseBody())
                .assertNext(first -> {
                    assertThat(first).isEqualTo("first");
                    assertThat(downstream.secondEventReleased()).as("first event arrived before the second was sent")
                            .isFalse();
                })
                .then(downstream::releaseSecondEvent)
                .expectNext("second")
                .expectComplete()
                .verify(Duration.ofSeconds(20));
        assertThat(downstream.nextRequest().path()).isEqualTo(DownstreamServer.STREAM_PATH);
    }

    @Test
    void answersUnknownApiPathsWith404ProblemAndOtherPathsOnlyWithAKey() {
        client.get().uri("/api/nothing-here").header("X-API-Key", KEY)
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://mlplatform.dev/problems/not-found");
        client.get().uri("/actuator/env").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void leavesHealthProbesOpen() {
        client.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    @Test
    void exposesRouteLatencyHistogramsToPrometheus() throws InterruptedException {
        client.get().uri("/api/fraud/v1/decisions/tx-metrics").header("X-API-Key", KEY)
                .exchange().expectStatus().isOk();
        downstream.nextRequest();

        String scrape = client.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(scrape).containsPattern("spring_cloud_gateway_requests_seconds_bucket\\{[^}]*routeId=\"fraud-service\"")
                .containsPattern("http_server_requests_seconds_bucket\\{[^}]*status=\"200\"")
                .contains("resilience4j_circuitbreaker_state");
    }

    @Test
    void writesTheRequestIdIntoEveryLogLineAboutTheRequest(CapturedOutput output) throws InterruptedException {
        String requestId = "logged-" + RUN;
        client.get().uri("/api/fraud/v1/decisions/tx-logged").header("X-API-Key", KEY)
                .header("X-Request-Id", requestId)
                .exchange().expectStatus().isOk();
        downstream.nextRequest();

        assertThat(linesAbout("/api/fraud/v1/decisions/tx-logged", output))
                .allSatisfy(line -> assertThat(line).startsWith("{")
                        .contains("\"requestId\":\"" + requestId + "\""));
    }

    /** The log lines (structured JSON, one per line) that mention the path; failing when there are none. */
    private static List<String> linesAbout(String path, CapturedOutput output) {
        List<String> lines = Arrays.stream(output.getOut().split("\n")).filter(line -> line.contains(path)).toList();
        assertThat(lines).as("log lines about " + path).isNotEmpty();
        return lines;
    }

    private static void assertRequestIdInBody(EntityExchangeResult<byte[]> result) {
        String requestId = result.getResponseHeaders().getFirst("X-Request-Id");
        assertThat(requestId).isNotBlank();
        assertThat(new String(result.getResponseBody())).contains("\"requestId\":\"" + requestId + "\"");
    }
}
