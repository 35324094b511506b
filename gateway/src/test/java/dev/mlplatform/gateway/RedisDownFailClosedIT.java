package dev.mlplatform.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Redis unreachable and the gateway configured to fail closed: 503 problem, nothing forwarded. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class RedisDownFailClosedIT {

    private static final String KEY = "key-fail-closed-" + System.nanoTime();
    private static final DownstreamServer downstream = DownstreamServer.start();

    @Autowired
    private WebTestClient client;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("FRAUD_SERVICE_URL", downstream::url);
        registry.add("spring.data.redis.port", DownstreamServer::closedPort);
        registry.add("platform.gateway.clients.closed.key", () -> KEY);
        registry.add("platform.gateway.rate-limit.when-redis-unavailable", () -> "deny");
    }

    @AfterAll
    static void stopDownstream() {
        downstream.close();
    }

    @Test
    void answers503ProblemWithoutForwarding() {
        client.get().uri("/api/fraud/v1/decisions/tx-1").header("X-API-Key", KEY)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("Retry-After", "1")
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://mlplatform.dev/problems/rate-limiter-unavailable")
                .jsonPath("$.status").isEqualTo(503);
        assertThat(downstream.hasReceivedNothingMore()).isTrue();
    }
}
