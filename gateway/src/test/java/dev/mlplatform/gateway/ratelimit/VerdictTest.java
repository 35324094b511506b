package dev.mlplatform.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VerdictTest {

    @Test
    void anAllowedRequestNeedsNoRetry() {
        assertThat(Verdict.of(true, 41, 1, 10)).isEqualTo(new Verdict(true, 41, 0));
    }

    @Test
    void aLimitedClientWaitsForTheMissingTokensButAtLeastOneSecond() {
        assertThat(Verdict.of(false, 0, 1, 5000).retryAfterSeconds()).isEqualTo(1);
        assertThat(Verdict.of(false, 0, 1, 1).retryAfterSeconds()).isEqualTo(1);
        assertThat(Verdict.of(false, 0, 3, 1).retryAfterSeconds()).isEqualTo(3);
        assertThat(Verdict.of(false, 1, 6, 2).retryAfterSeconds()).isEqualTo(3);
    }
}
