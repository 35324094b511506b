package dev.mlplatform.gateway.web;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;

/** The request id every request carries: the client's own when it is well-formed, otherwise a fresh one. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";

    /** The key under which the id sits in the Reactor context and in the logging MDC. */
    public static final String MDC_KEY = "requestId";

    static final String ATTRIBUTE = RequestIds.class.getName() + ".id";

    private static final int MAX_LENGTH = 128;

    private RequestIds() {
    }

    /** The id of this exchange; empty only before {@link RequestIdFilter} has run. */
    public static String of(ServerWebExchange exchange) {
        String id = exchange.getAttribute(ATTRIBUTE);
        return id == null ? "" : id;
    }

    static String acceptOrGenerate(@Nullable String candidate) {
        return isWellFormed(candidate) ? candidate : generate();
    }

    /**
     * Letters, digits and {@code - _ . :}, at most 128 characters: enough for UUIDs, ULIDs and trace ids, and
     * nothing that could break a header, a log line or a JSON document downstream.
     */
    static boolean isWellFormed(@Nullable String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /**
     * A random (version 4) UUID from {@link ThreadLocalRandom}: request ids are not secrets, and this keeps the
     * hot path off {@code UUID.randomUUID()}'s shared SecureRandom.
     */
    static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long mostSignificant = (random.nextLong() & ~0xF000L) | 0x4000L;
        long leastSignificant = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(mostSignificant, leastSignificant).toString();
    }
}
