package dev.mlplatform.bench;

/**
 * What the open loop of {@link RestBench} sends: one request per call, asked for by its one sender thread.
 */
interface RequestSource {

    /**
     * One request to the gateway.
     *
     * @param path the path with its query, such as {@code /api/recs/v1/users/s-1/recommendations?k=10}
     * @param body a JSON body, or null for none
     */
    record Request(String method, String path, byte[] body) {
    }

    /** The method of every request, such as {@code POST}. */
    String method();

    /** The path every request goes to, with a placeholder for what varies: {@code /api/recs/v1/users/{userId}/...}. */
    String target();

    Request next();
}
