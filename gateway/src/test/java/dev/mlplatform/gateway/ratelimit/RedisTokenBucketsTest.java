package dev.mlplatform.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisTokenBucketsTest {

    @Test
    void aLeaseIsATwentiethOfTheRateBetweenOneAndTheMaximum() {
        assertThat(RedisTokenBuckets.leaseSize(1)).isEqualTo(1);
        assertThat(RedisTokenBuckets.leaseSize(39)).as("small clients are limited token by token").isEqualTo(1);
        assertThat(RedisTokenBuckets.leaseSize(1000)).isEqualTo(50);
        assertThat(RedisTokenBuckets.leaseSize(5000)).isEqualTo(RedisTokenBuckets.MAX_LEASE);
    }
}
