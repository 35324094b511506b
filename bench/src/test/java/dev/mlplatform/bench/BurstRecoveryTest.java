package dev.mlplatform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a burst run is judged, on hand-made seconds. */
class BurstRecoveryTest {

    private static final KafkaBench.Burst BURST = new KafkaBench.Burst(10, Duration.ofSeconds(6), Duration.ofSeconds(2),
            Duration.ofSeconds(10));

    @Test
    void measuresDrainAndRecoveryFromTheEndOfTheBurst() {
        List<KafkaBench.Second> seconds = new ArrayList<>();
        double[] p99 = {50, 10, 12, 30, 10, 10, 200, 900, 1500, 900, 400, 60, 20, 25, 15, 12, 10, 10, 10, 10, 30, 10,
                10, 10, 10, 10};
        long[] backlog = {0, 0, 0, 0, 0, 0, 600, 1500, 1200, 800, 300, 50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        for (int i = 0; i < p99.length; i++) {
            seconds.add(new KafkaBench.Second(i, 100, p99[i], backlog[i]));
        }

        KafkaBench.BurstRecovery recovery = KafkaBench.recovery(BURST, 100, seconds);

        // Baseline: the highest of seconds 2 to 5 (the first third skipped): 30 ms, spike included.
        assertThat(recovery.baselineP99Ms()).isEqualTo(30.0);
        assertThat(recovery.peakBacklog()).isEqualTo(1500);
        // The burst ends at second 8; backlog ≤ one second of base rate (100) from second 11.
        assertThat(recovery.drainedAfterSeconds()).isEqualTo(3);
        // Second 11 (60 ms) is the last one over 30 ms; seconds 12 to 21 all stay within it (20 is a spike at 30).
        assertThat(recovery.p99RecoveredAfterSeconds()).isEqualTo(4);
    }

    @Test
    void saysNeverWhenTheRunEndsStillBehind() {
        List<KafkaBench.Second> seconds = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            seconds.add(new KafkaBench.Second(i, 100, i < 6 ? 10.0 : 5_000.0, i < 6 ? 0 : 10_000));
        }

        KafkaBench.BurstRecovery recovery = KafkaBench.recovery(BURST, 100, seconds);

        assertThat(recovery.drainedAfterSeconds()).isNull();
        assertThat(recovery.p99RecoveredAfterSeconds()).isNull();
    }
}
