package dev.mlplatform.gateway.web;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdsTest {

    @Test
    void acceptsUuidsUlidsAndTraceIds() {
        assertThat(RequestIds.isWellFormed(UUID.randomUUID().toString())).isTrue();
        assertThat(RequestIds.isWellFormed("01ARZ3NDEKTSV4RRFFQ69G5FAV")).isTrue();
        assertThat(RequestIds.isWellFormed("trace.4bf92f3577b34da6:00f067aa0ba902b7_1")).isTrue();
    }

    @Test
    void rejectsEmptyOverlongAndUnsafeIds() {
        assertThat(RequestIds.isWellFormed(null)).isFalse();
        assertThat(RequestIds.isWellFormed("")).isFalse();
        assertThat(RequestIds.isWellFormed("a".repeat(129))).isFalse();
        assertThat(RequestIds.isWellFormed("a".repeat(128))).isTrue();
        assertThat(RequestIds.isWellFormed("id with spaces")).isFalse();
        assertThat(RequestIds.isWellFormed("id\"},{\"x")).isFalse();
        assertThat(RequestIds.isWellFormed("id\r\nX-Evil: 1")).isFalse();
        assertThat(RequestIds.isWellFormed("idé")).isFalse();
    }

    @Test
    void keepsAWellFormedIdAndReplacesOthersWithFreshVersion4Uuids() {
        assertThat(RequestIds.acceptOrGenerate("abc-123")).isEqualTo("abc-123");
        Set<String> generated = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = RequestIds.acceptOrGenerate(i % 2 == 0 ? null : "bad id");
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(RequestIds.isWellFormed(id)).isTrue();
            generated.add(id);
        }
        assertThat(generated).hasSize(1000);
    }
}
