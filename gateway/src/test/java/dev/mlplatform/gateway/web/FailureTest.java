package dev.mlplatform.gateway.web;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.support.ServiceUnavailableException;
import org.springframework.cloud.gateway.support.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;

class FailureTest {

    @Test
    void refusedConnectionMeansTheServiceIsUnavailable() {
        Failure failure = Failure.of(new IllegalStateException(new ConnectException("Connection refused")),
                "fraud-service", "/api/fraud/v1/score");

        assertThat(failure.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(failure.typeSlug()).isEqualTo("upstream-unavailable");
        assertThat(failure.detail()).contains("fraud-service");
    }

    @Test
    void openCircuitAndResponseTimeoutKeepTheGatewaysStatuses() {
        assertThat(Failure.of(new ServiceUnavailableException(), "llm-service", "/api/llm/v1/models").status())
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        Failure timeout = Failure.of(new TimeoutException("Response took longer than timeout: PT10S"), "llm-service",
                "/api/llm/v1/completions");
        assertThat(timeout.status()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
        assertThat(timeout.typeSlug()).isEqualTo("upstream-timeout");
        assertThat(timeout.detail()).contains("llm-service");
    }

    @Test
    void statusExceptionsKeepTheirStatusAndReason() {
        Failure notFound = Failure.of(new ResponseStatusException(HttpStatus.NOT_FOUND), "x", "/api/nothing");
        assertThat(notFound.status()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(notFound.detail()).contains("/api/nothing");

        Failure tooLarge = Failure.of(new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE, "over 1 MB"), "x", "/");
        assertThat(tooLarge.typeSlug()).isEqualTo("request-too-large");
        assertThat(tooLarge.detail()).isEqualTo("over 1 MB");

        Failure notAllowed = Failure.of(new ResponseStatusException(HttpStatus.METHOD_NOT_ALLOWED), "x", "/");
        assertThat(notAllowed.typeSlug()).isEqualTo("method-not-allowed");
    }

    @Test
    void anythingElseIsA500ThatLeaksNoInternals() {
        Failure failure = Failure.of(new NullPointerException("secret internal state"), "x", "/");

        assertThat(failure.status()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(failure.detail()).doesNotContain("secret").contains("request id");
    }
}
