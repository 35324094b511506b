package dev.mlplatform.bench;

import java.nio.charset.StandardCharsets;

/** The fraud REST path: each request scores the simulator's next transaction. */
record ScoreRequests(Traffic traffic) implements RequestSource {

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public String target() {
        return Platform.SCORE_PATH;
    }

    @Override
    public Request next() {
        return new Request(method(), Platform.SCORE_PATH,
                traffic.next(Traffic.Path.REST).json().getBytes(StandardCharsets.UTF_8));
    }
}
