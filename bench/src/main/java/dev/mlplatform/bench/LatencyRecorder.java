package dev.mlplatform.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records the latency of requests sent on a schedule, twice: from the time each request was
 * <em>intended</em> to be sent (corrected for coordinated omission: when the sender or the system
 * stalls, the requests that should have gone out meanwhile count their wait) and from the time it was
 * actually sent (what a closed-loop tool would report). Thread-safe; values in microseconds up to one
 * hour, three significant digits.
 */
public final class LatencyRecorder {

    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

    private final Recorder corrected = new Recorder(HIGHEST_MICROS, 3);
    private final Recorder uncorrected = new Recorder(HIGHEST_MICROS, 3);
    private final Histogram correctedTotal = new Histogram(HIGHEST_MICROS, 3);
    private final Histogram uncorrectedTotal = new Histogram(HIGHEST_MICROS, 3);
    private final Object totalsLock = new Object();
    private Histogram correctedInterval;
    private Histogram uncorrectedInterval;

    /** Records one request intended at {@code intendedNanos}, sent at {@code sentNanos}, done at {@code doneNanos}. */
    public void record(long intendedNanos, long sentNanos, long doneNanos) {
        corrected.recordValue(clamp(doneNanos - intendedNanos));
        uncorrected.recordValue(clamp(doneNanos - sentNanos));
    }

    /** The latencies recorded since the previous call (or the start), folded into the totals. */
    public Histogram interval() {
        synchronized (totalsLock) {
            correctedInterval = corrected.getIntervalHistogram(correctedInterval);
            uncorrectedInterval = uncorrected.getIntervalHistogram(uncorrectedInterval);
            correctedTotal.add(correctedInterval);
            uncorrectedTotal.add(uncorrectedInterval);
            return correctedInterval.copy();
        }
    }

    /** Every latency recorded so far, measured from the intended send time. */
    public Histogram corrected() {
        synchronized (totalsLock) {
            interval();
            return correctedTotal.copy();
        }
    }

    /** Every latency recorded so far, measured from the actual send time. */
    public Histogram uncorrected() {
        synchronized (totalsLock) {
            interval();
            return uncorrectedTotal.copy();
        }
    }

    private static long clamp(long nanos) {
        long micros = Math.max(0, nanos / 1000);
        return Math.min(micros, HIGHEST_MICROS);
    }
}
