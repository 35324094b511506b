package dev.mlplatform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineLimiterTest {

    @Test
    void printsAtMostTheConfiguredLinesPerSecondAndCountsTheRest() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        LineLimiter limiter = new LineLimiter(2);
        long second = 1_000_000_000L;
        // 20 lines in one second, then one more a second later.
        for (int i = 0; i < 20; i++) {
            limiter.offer("line " + i, out, 5 * second + i * second / 20);
        }
        limiter.offer("late", out, 7 * second);
        limiter.flush(out);

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "line 0", "             ... 9 more", "line 10", "             ... 9 more", "late");
    }
}
