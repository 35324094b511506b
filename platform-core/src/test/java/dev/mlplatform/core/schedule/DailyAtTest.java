package dev.mlplatform.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DailyAtTest {

    private static final DailyAt MINUTE_PAST_MIDNIGHT = new DailyAt(LocalTime.of(0, 1));

    @Test
    void theNextRunIsLaterTodayOrElseTomorrow() {
        assertThat(MINUTE_PAST_MIDNIGHT.untilNext(Instant.parse("2026-11-27T23:59:30Z"))).isEqualTo(Duration.ofSeconds(90));
        assertThat(MINUTE_PAST_MIDNIGHT.untilNext(Instant.parse("2026-11-28T00:00:30Z"))).isEqualTo(Duration.ofSeconds(30));
        assertThat(MINUTE_PAST_MIDNIGHT.untilNext(Instant.parse("2026-11-28T00:01:00Z")))
                .as("exactly at the time: that run is the caller's, the next is tomorrow's").isEqualTo(Duration.ofDays(1));
        assertThat(new DailyAt(LocalTime.of(2, 0)).untilNext(Instant.parse("2026-11-27T15:00:00Z")))
                .isEqualTo(Duration.ofHours(11));
    }

    @Test
    void theYearsEndAndALeapDayAreJustDays() {
        assertThat(MINUTE_PAST_MIDNIGHT.untilNext(Instant.parse("2026-12-31T23:59:00Z"))).isEqualTo(Duration.ofMinutes(2));
        assertThat(MINUTE_PAST_MIDNIGHT.untilNext(Instant.parse("2028-02-28T12:00:00Z")))
                .isEqualTo(Duration.ofHours(12).plusMinutes(1));
    }

    @Test
    void schedulesTheFirstRunAtTheNextTimeAndThenDaily() throws Exception {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            Clock clock = Clock.fixed(Instant.parse("2026-11-27T23:00:00Z"), ZoneOffset.UTC);
            ScheduledFuture<?> next = MINUTE_PAST_MIDNIGHT.schedule(executor, () -> { }, clock);

            assertThat(next.getDelay(TimeUnit.SECONDS)).isBetween(3600L, 3660L);
        } finally {
            executor.shutdownNow();
        }
    }
}
