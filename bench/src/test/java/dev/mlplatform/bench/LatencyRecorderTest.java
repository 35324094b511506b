package dev.mlplatform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void chargesAStallToEveryRequestThatShouldHaveBeenSentDuringIt() {
        LatencyRecorder recorder = new LatencyRecorder();
        // 10,000 requests due every millisecond, each answered in 1 ms, except that the sender was stuck
        // from 5,000 ms to 7,000 ms: the 2,000 requests due meanwhile all went out at 7,000 ms.
        for (long i = 0; i < 10_000; i++) {
            long intended = i * MS;
            long sent = i >= 5_000 && i < 7_000 ? 7_000 * MS : intended;
            recorder.record(intended, sent, sent + MS);
        }
        Histogram corrected = recorder.corrected();
        Histogram uncorrected = recorder.uncorrected();

        assertThat(uncorrected.getTotalCount()).isEqualTo(10_000);
        assertThat(corrected.getTotalCount()).isEqualTo(10_000);
        // A closed-loop view sees nothing wrong ...
        assertThat(uncorrected.getValueAtPercentile(99.9)).isBetween(995L, 1_005L);
        // ... the corrected one sees 20 % of the requests wait between 1 ms and 2 s.
        assertThat(corrected.getValueAtPercentile(50)).isBetween(995L, 1_005L);
        assertThat(corrected.getValueAtPercentile(90)).isBetween(995_000L, 1_005_000L);
        assertThat(corrected.getMaxValue()).isBetween(1_999_000L, 2_003_000L);
    }

    @Test
    void intervalsHoldOnlyWhatWasRecordedSinceTheLastOneButTotalsKeepEverything() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(0, 0, 3 * MS);
        assertThat(recorder.interval().getTotalCount()).isEqualTo(1);
        recorder.record(0, 0, 5 * MS);
        recorder.record(0, 0, 7 * MS);
        Histogram second = recorder.interval();
        assertThat(second.getTotalCount()).isEqualTo(2);
        assertThat(second.getMinValue()).isBetween(4_995L, 5_005L);
        assertThat(recorder.interval().getTotalCount()).isZero();
        assertThat(recorder.corrected().getTotalCount()).isEqualTo(3);
    }

    @Test
    void summarisesPercentilesInMilliseconds() {
        Histogram histogram = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
        for (int ms = 1; ms <= 1000; ms++) {
            histogram.recordValue(ms * 1000L);
        }
        LatencySummary summary = LatencySummary.ofMicros(histogram);

        assertThat(summary.count()).isEqualTo(1000);
        assertThat(summary.p50Ms()).isCloseTo(500, org.assertj.core.data.Offset.offset(1.0));
        assertThat(summary.p99Ms()).isCloseTo(990, org.assertj.core.data.Offset.offset(1.0));
        assertThat(summary.p999Ms()).isCloseTo(999, org.assertj.core.data.Offset.offset(1.0));
        assertThat(summary.maxMs()).isCloseTo(1000, org.assertj.core.data.Offset.offset(1.0));
        assertThat(summary.meanMs()).isCloseTo(500.5, org.assertj.core.data.Offset.offset(1.0));
        assertThat(summary.describe()).contains("p50 500").contains("p99.9 999").contains("n=1,000");
    }

    @Test
    void anEmptyHistogramSummarisesAsNoSamples() {
        LatencySummary summary = LatencySummary.ofMicros(new Histogram(3));
        assertThat(summary.count()).isZero();
        assertThat(summary.describe()).isEqualTo("no samples");
    }
}
