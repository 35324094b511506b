package dev.mlplatform.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenLoopTest {

    @Test
    void spacesCallsEvenlyAndCountsTheWarmUpSeparately() {
        OpenLoop loop = new OpenLoop(1000, Duration.ofSeconds(2), Duration.ofSeconds(10));

        assertThat(loop.totalCalls()).isEqualTo(12_000);
        assertThat(loop.intendedNanos(500, 0)).isEqualTo(500);
        assertThat(loop.intendedNanos(500, 1)).isEqualTo(1_000_500);
        assertThat(loop.intendedNanos(0, 12_000)).isEqualTo(12_000_000_000L);
        assertThat(loop.measured(1_999)).isFalse();
        assertThat(loop.measured(2_000)).isTrue();
    }

    @Test
    void firesEveryCallInOrderNeverBeforeItIsDue() {
        OpenLoop loop = new OpenLoop(2000, Duration.ofMillis(10), Duration.ofMillis(40));
        List<long[]> calls = new ArrayList<>();
        long start = System.nanoTime();
        loop.run(start, (index, intended, measured) -> calls.add(new long[] {index, intended, System.nanoTime(),
                measured ? 1 : 0}), () -> false);

        assertThat(calls).hasSize(100);
        for (int i = 0; i < calls.size(); i++) {
            long[] call = calls.get(i);
            assertThat(call[0]).isEqualTo(i);
            assertThat(call[1]).isEqualTo(loop.intendedNanos(start, i));
            assertThat(call[2]).isGreaterThanOrEqualTo(call[1]);
            assertThat(call[3] == 1).isEqualTo(i >= 20);
        }
    }

    @Test
    void stopsWhenAsked() {
        OpenLoop loop = new OpenLoop(100_000, Duration.ZERO, Duration.ofSeconds(10));
        List<Long> calls = new ArrayList<>();
        loop.run(System.nanoTime(), (index, intended, measured) -> calls.add(index), () -> calls.size() >= 5);
        assertThat(calls).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void refusesANonPositiveRate() {
        assertThatThrownBy(() -> new OpenLoop(0, Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
