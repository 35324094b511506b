package dev.mlplatform.featurestore.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.featurestore.definitions.FraudFeatures;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

class RedisKeysTest {

    @Test
    void namesEntityViewAndVersionWithTheEntityAsHashTag() {
        assertThat(RedisKeys.key(FraudFeatures.CARD_VELOCITY, "ct_ab12"))
                .isEqualTo("fs:{ct_ab12}:card_velocity:v1");
    }

    @Test
    void putsEveryViewOfAnEntityInOneClusterSlot() {
        int slot = SlotHash.getSlot(RedisKeys.key(FraudFeatures.CARD_VELOCITY, "ct_ab12"));

        assertThat(SlotHash.getSlot("fs:{ct_ab12}:other_view:v7")).isEqualTo(slot);
        assertThat(slot).isEqualTo(SlotHash.getSlot("ct_ab12"));
    }

    @Test
    void refusesIdsThatWouldBreakTheHashTag() {
        assertThatThrownBy(() -> RedisKeys.key(FraudFeatures.CARD_VELOCITY, "a}b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisKeys.key(FraudFeatures.CARD_VELOCITY, ""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
