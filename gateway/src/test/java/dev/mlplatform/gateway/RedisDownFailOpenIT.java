package dev.mlplatform.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Redis unreachable with the default failure mode: requests still reach the service, unlimited. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class RedisDownFailOpenIT {

    private static final String KEY = "key-fail-open-" + System.nanoTime();
    private static final DownstreamServer downstream = DownstreamServer.start();

    @Autowired
    private WebTestClient client;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("FRAUD_SERVICE_URL", downstream::url);
        registry.add("spring.data.redis.port", DownstreamServer::closedPort);
        registry.add("platform.gateway.clients.open.key", () -> KEY);
    }

    @AfterAll
    static void stopDownstream() {
        downstream.close();
    }

    @Test
    void forwardsRequestsWithoutALimitAndLogsTheOutageWithTheRequestId(CapturedOutput output)
            throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            client.get().uri("/api/fraud/v1/decisions/tx-" + i).header("X-API-Key", KEY)
                    .header("X-Request-Id", "outage-" + i)
                    .exchange()
                    .expectStatus().isOk()
                    .expectHeader().doesNotExist("X-RateLimit-Remaining");
            assertThat(downstream.nextRequest().path()).isEqualTo("/api/fraud/v1/decisions/tx-" + i);
        }
        // Logged inside the request's reactive chain without touching the MDC: context propagation put the id there.
        assertThat(output.getOut().lines().filter(line -> line.contains("Redis is unavailable for rate limiting")))
                .singleElement().asString().contains("\"requestId\":\"outage-0\"");
    }
}
