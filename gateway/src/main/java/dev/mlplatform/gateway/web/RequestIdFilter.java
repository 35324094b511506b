package dev.mlplatform.gateway.web;

import java.util.List;

import io.micrometer.context.ContextRegistry;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Gives every request its id before anything else runs: on the exchange, on the request sent downstream, on the
 * response, and in the Reactor context, from where context propagation copies it into the MDC of every log line
 * written while the request is processed ({@code spring.reactor.context-propagation=auto}).
 */
@Component
final class RequestIdFilter implements WebFilter, Ordered {

    static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

    RequestIdFilter() {
        // Idempotent: the registry replaces an accessor registered under the same key.
        ContextRegistry.getInstance().registerThreadLocalAccessor(RequestIds.MDC_KEY,
                () -> MDC.get(RequestIds.MDC_KEY),
                value -> MDC.put(RequestIds.MDC_KEY, value),
                () -> MDC.remove(RequestIds.MDC_KEY));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        List<String> sent = exchange.getRequest().getHeaders().get(RequestIds.HEADER);
        String id = RequestIds.acceptOrGenerate(sent == null || sent.isEmpty() ? null : sent.get(0));
        exchange.getAttributes().put(RequestIds.ATTRIBUTE, id);
        exchange.getResponse().getHeaders().set(RequestIds.HEADER, id);
        ServerWebExchange forwarded = exchange;
        if (sent == null || sent.size() != 1 || !sent.get(0).equals(id)) {
            ServerHttpRequest request = exchange.getRequest().mutate()
                    .headers(headers -> headers.set(RequestIds.HEADER, id))
                    .build();
            forwarded = exchange.mutate().request(request).build();
        }
        return chain.filter(forwarded).contextWrite(Context.of(RequestIds.MDC_KEY, id));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
