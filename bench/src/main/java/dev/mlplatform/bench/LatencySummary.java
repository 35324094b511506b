package dev.mlplatform.bench;

import org.HdrHistogram.Histogram;

/**
 * The percentiles of a latency histogram recorded in microseconds, reported in milliseconds.
 *
 * @param count how many latencies were recorded
 */
public record LatencySummary(long count, double p50Ms, double p90Ms, double p95Ms, double p99Ms, double p999Ms,
                             double maxMs, double meanMs) {

    /** The summary of {@code histogram}, whose values are microseconds. */
    public static LatencySummary ofMicros(Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0);
        }
        return new LatencySummary(histogram.getTotalCount(),
                ms(histogram.getValueAtPercentile(50)),
                ms(histogram.getValueAtPercentile(90)),
                ms(histogram.getValueAtPercentile(95)),
                ms(histogram.getValueAtPercentile(99)),
                ms(histogram.getValueAtPercentile(99.9)),
                ms(histogram.getMaxValue()),
                Math.round(histogram.getMean()) / 1000.0);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    /** {@code p50 1.23 ms  p99 4.56 ms  p99.9 7.89 ms  max 12.3 ms}. */
    public String describe() {
        if (count == 0) {
            return "no samples";
        }
        return String.format("p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  (n=%,d)",
                format(p50Ms), format(p90Ms), format(p99Ms), format(p999Ms), format(maxMs), count);
    }

    static String format(double ms) {
        if (ms >= 1000) {
            return String.format("%.2f s", ms / 1000);
        }
        if (ms >= 100) {
            return String.format("%.0f ms", ms);
        }
        return String.format("%.2f ms", ms);
    }
}
