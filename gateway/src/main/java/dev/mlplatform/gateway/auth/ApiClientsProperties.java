package dev.mlplatform.gateway.auth;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The clients allowed through the gateway, by name: {@code platform.gateway.clients.<name>.key}, from the
 * environment as {@code PLATFORM_GATEWAY_CLIENTS_<NAME>_KEY}; the development client's key is
 * {@code PLATFORM_API_KEY}. A client without a key is left out; if none is left the gateway refuses to start
 * rather than run open or invent a key nobody knows.
 */
@ConfigurationProperties("platform.gateway")
record ApiClientsProperties(Map<String, Client> clients) {

    static final int MIN_KEY_LENGTH = 16;

    private static final Pattern CLIENT_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    ApiClientsProperties {
        clients = withKeys(clients == null ? Map.of() : clients);
        if (clients.isEmpty()) {
            throw new IllegalStateException("No API key is configured and the gateway will not run open: set "
                    + "PLATFORM_API_KEY (the development key) or platform.gateway.clients.<name>.key.");
        }
        Map<String, String> clientByKey = new HashMap<>();
        clients.forEach((name, client) -> {
            validate(name, client);
            String other = clientByKey.putIfAbsent(client.key(), name);
            if (other != null) {
                throw new IllegalStateException("Clients '" + other + "' and '" + name
                        + "' share one API key: give each client its own.");
            }
        });
    }

    /**
     * One caller of the API; its rate limit lives under {@code platform.gateway.rate-limit.clients.<name>}.
     *
     * @param key the secret sent in {@code X-API-Key}, at least 16 characters
     */
    record Client(@Nullable String key) {

        /** Keeps the secret out of logs and failure reports. */
        @Override
        public String toString() {
            return "Client[key=" + (key == null || key.isBlank() ? "<none>" : "<hidden>") + "]";
        }
    }

    private static Map<String, Client> withKeys(Map<String, Client> configured) {
        Map<String, Client> withKeys = new LinkedHashMap<>();
        configured.forEach((name, client) -> {
            if (client != null && client.key() != null && !client.key().isBlank()) {
                withKeys.put(name, client);
            }
        });
        return Map.copyOf(withKeys);
    }

    private static void validate(String name, Client client) {
        if (!CLIENT_NAME.matcher(name).matches()) {
            throw new IllegalStateException("Client name '" + name
                    + "' must be lower-case letters, digits, '.', '_' or '-' (it becomes part of Redis keys).");
        }
        if (client.key().length() < MIN_KEY_LENGTH) {
            throw new IllegalStateException("The API key of client '" + name + "' is shorter than " + MIN_KEY_LENGTH
                    + " characters: use a random one, e.g. from 'openssl rand -hex 24'.");
        }
    }
}
