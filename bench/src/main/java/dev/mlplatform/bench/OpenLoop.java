package dev.mlplatform.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Calls an action at a constant rate, whatever the system under test does: the i-th call is due at
 * {@code start + i / rate}, and a sender that falls behind catches up at once instead of waiting for
 * replies (open loop). Each call learns its intended time, from which its latency is measured, and
 * whether it falls in the warm-up.
 */
public final class OpenLoop {

    /** One scheduled call. */
    @FunctionalInterface
    public interface Action {
        /**
         * @param index        the call's number, from 0
         * @param intendedNanos when it was due ({@link System#nanoTime()} scale)
         * @param measured     false during the warm-up
         */
        void fire(long index, long intendedNanos, boolean measured);
    }

    private final double ratePerSecond;
    private final Duration warmup;
    private final Duration duration;

    /**
     * @param ratePerSecond calls per second
     * @param warmup        sent at the same rate, not measured
     * @param duration      measured, after the warm-up
     */
    public OpenLoop(double ratePerSecond, Duration warmup, Duration duration) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.ratePerSecond = ratePerSecond;
        this.warmup = warmup;
        this.duration = duration;
    }

    /** When the {@code index}-th call is due, {@code startNanos} being when the first is. */
    public long intendedNanos(long startNanos, long index) {
        return startNanos + Math.round(index * 1e9 / ratePerSecond);
    }

    /** How many calls the whole run makes, warm-up included. */
    public long totalCalls() {
        return (long) Math.floor((warmup.toNanos() + duration.toNanos()) * ratePerSecond / 1e9);
    }

    /** Whether the {@code index}-th call falls after the warm-up. */
    public boolean measured(long index) {
        return index >= (long) Math.floor(warmup.toNanos() * ratePerSecond / 1e9);
    }

    /** Runs every call on this thread, from {@code startNanos}; stops early when {@code stop} is set. */
    public void run(long startNanos, Action action, java.util.function.BooleanSupplier stop) {
        long total = totalCalls();
        for (long i = 0; i < total && !stop.getAsBoolean(); i++) {
            long due = intendedNanos(startNanos, i);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            action.fire(i, due, measured(i));
        }
    }
}
