package dev.mlplatform.gateway.web;

import java.util.function.Consumer;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Writes the {@code application/problem+json} answer for every error the gateway itself produces. */
@Component
public final class ProblemResponses {

    /** Problem types are documented under this base; the slug names the cause. */
    public static final String TYPE_BASE = "https://mlplatform.dev/problems/";

    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    public Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String typeSlug, String detail) {
        return write(exchange, status, typeSlug, detail, headers -> {
        });
    }

    /**
     * Replaces whatever the response held (a half-copied downstream answer, say) with the problem document; the
     * request id header stays.
     */
    public Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String typeSlug, String detail,
            Consumer<HttpHeaders> extraHeaders) {
        String requestId = RequestIds.of(exchange);
        Problem problem = new Problem(TYPE_BASE + typeSlug, status.getReasonPhrase(), status.value(), detail,
                exchange.getRequest().getPath().value(), requestId);
        byte[] body = json.writeValueAsBytes(problem);

        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        HttpHeaders headers = response.getHeaders();
        headers.clear();
        if (!requestId.isEmpty()) {
            headers.set(RequestIds.HEADER, requestId);
        }
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        headers.setContentLength(body.length);
        extraHeaders.accept(headers);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }
}
