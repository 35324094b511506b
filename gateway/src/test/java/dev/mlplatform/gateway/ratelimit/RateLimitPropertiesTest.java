package dev.mlplatform.gateway.ratelimit;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RateLimitPropertiesTest {

    @Test
    void aClientsOwnLimitOverridesTheDefaultValueByValue() {
        RateLimitProperties properties = new RateLimitProperties(100, 200,
                RateLimitProperties.WhenRedisUnavailable.ALLOW,
                Map.of("batch", new RateLimitProperties.Limit(null, 1000), "tiny", new RateLimitProperties.Limit(1, 2)));

        assertThat(properties.limitOf("batch")).isEqualTo(new RateLimitProperties.Limit(100, 1000));
        assertThat(properties.limitOf("tiny")).isEqualTo(new RateLimitProperties.Limit(1, 2));
        assertThat(properties.limitOf("anyone")).isEqualTo(new RateLimitProperties.Limit(100, 200));
    }

    @Test
    void refusesABucketSmallerThanOneSecondOfTokens() {
        assertThatIllegalStateException()
                .isThrownBy(() -> new RateLimitProperties(100, 50, RateLimitProperties.WhenRedisUnavailable.ALLOW, null))
                .withMessageContaining("burst-capacity (50)");
        assertThatIllegalStateException()
                .isThrownBy(() -> new RateLimitProperties(100, 200, RateLimitProperties.WhenRedisUnavailable.DENY,
                        Map.of("slow", new RateLimitProperties.Limit(500, null))))
                .withMessageContaining("client 'slow'");
    }
}
