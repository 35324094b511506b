package dev.mlplatform.bench;

import java.io.PrintStream;

/**
 * Prints at most a few lines a second; the lines it holds back are counted and announced in one line
 * ({@code … 37 more}) when printing resumes, so that a fast stream stays readable.
 */
final class LineLimiter {

    private final long intervalNanos;
    private boolean started;
    private long nextAllowedNanos;
    private long suppressed;

    LineLimiter(double linesPerSecond) {
        this.intervalNanos = linesPerSecond <= 0 ? Long.MAX_VALUE : Math.round(1e9 / linesPerSecond);
    }

    /** Prints {@code line} if its turn has come, else counts it. */
    synchronized void offer(String line, PrintStream out) {
        offer(line, out, System.nanoTime());
    }

    synchronized boolean offer(String line, PrintStream out, long nowNanos) {
        if (intervalNanos != Long.MAX_VALUE && (!started || nowNanos - nextAllowedNanos >= 0)) {
            started = true;
            flush(out);
            out.println(line);
            nextAllowedNanos = nowNanos + intervalNanos;
            return true;
        }
        suppressed++;
        return false;
    }

    /** Announces the lines held back since the last printed one. */
    synchronized void flush(PrintStream out) {
        if (suppressed > 0) {
            out.printf("             ... %,d more%n", suppressed);
            suppressed = 0;
        }
    }
}
