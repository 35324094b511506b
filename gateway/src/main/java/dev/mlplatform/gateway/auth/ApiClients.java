package dev.mlplatform.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Finds the client a presented API key belongs to, in time that does not depend on the key. */
@Component
final class ApiClients {

    private static final Logger log = LoggerFactory.getLogger(ApiClients.class);

    private final List<Entry> entries;

    ApiClients(ApiClientsProperties properties) {
        this.entries = properties.clients().entrySet().stream()
                .map(client -> new Entry(sha256(client.getValue().key()), new ApiClient(client.getKey())))
                .toList();
        log.info("API keys configured for clients {}", entries.stream().map(e -> e.client().name()).sorted().toList());
    }

    /**
     * Compares digests rather than the keys themselves, so every comparison has the same length and
     * {@link MessageDigest#isEqual} stays constant-time; every entry is compared, so the time does not tell which
     * client matched either.
     */
    @Nullable ApiClient authenticate(String presentedKey) {
        byte[] presented = sha256(presentedKey);
        ApiClient match = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.keyDigest(), presented)) {
                match = entry.client();
            }
        }
        return match;
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    private record Entry(byte[] keyDigest, ApiClient client) {
    }
}
