package dev.mlplatform.gateway.auth;

import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;

/** An authenticated caller, as the filters after authentication see it. */
public record ApiClient(String name) {

    private static final String ATTRIBUTE = ApiClient.class.getName();

    /** The client that authenticated this exchange, or null on the open (management) paths. */
    public static @Nullable ApiClient of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }

    void attachTo(ServerWebExchange exchange) {
        exchange.getAttributes().put(ATTRIBUTE, this);
    }
}
