package dev.mlplatform.core.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A batch's time of day, in UTC (no daylight-saving jumps): the nightly jobs that {@code ./platform up} runs
 * itself, where production would use its scheduler's cron.
 */
public record DailyAt(LocalTime time) {

    /** How long from {@code now} to the next run: later today, or tomorrow when today's time is not after now. */
    public Duration untilNext(Instant now) {
        ZonedDateTime at = now.atZone(ZoneOffset.UTC);
        ZonedDateTime today = at.with(time);
        return Duration.between(at, today.isAfter(at) ? today : today.plusDays(1));
    }

    /** Runs {@code task} at this time every day from the next one on, on {@code executor}. */
    public ScheduledFuture<?> schedule(ScheduledExecutorService executor, Runnable task, Clock clock) {
        return executor.scheduleAtFixedRate(task, untilNext(clock.instant()).toMillis(), Duration.ofDays(1).toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public String toString() {
        return time + " UTC";
    }
}
