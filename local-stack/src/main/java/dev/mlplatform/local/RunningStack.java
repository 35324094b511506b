package dev.mlplatform.local;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What has been started so far, stopped in reverse order exactly once, whichever comes first: a
 * failure during start-up, Ctrl-C, {@code ./platform down} (SIGTERM) or the end of the JVM. Something
 * started after the stop began is stopped at once.
 */
final class RunningStack {

    /** A part of the platform that can be stopped. */
    @FunctionalInterface
    interface Part {
        void stop() throws Exception;
    }

    private record Named(String name, Part part) {
    }

    private final Deque<Named> parts = new ArrayDeque<>();
    private final Console console;
    private boolean stopping;

    RunningStack(Console console) {
        this.console = console;
    }

    /**
     * Adds a started part.
     *
     * @throws LaunchException when the platform is already stopping (the part has then been stopped)
     */
    void add(String name, Part part) {
        synchronized (this) {
            if (!stopping) {
                parts.push(new Named(name, part));
                return;
            }
        }
        stopQuietly(new Named(name, part), false);
        throw new LaunchException("the platform is stopping");
    }

    synchronized boolean isStopping() {
        return stopping;
    }

    /** Stops every part, last started first; returns false if it was already stopped or stopping. */
    boolean stopAll(boolean report) {
        synchronized (this) {
            if (stopping) {
                return false;
            }
            stopping = true;
        }
        while (true) {
            Named next;
            synchronized (this) {
                if (parts.isEmpty()) {
                    return true;
                }
                next = parts.pop();
            }
            stopQuietly(next, report);
        }
    }

    private void stopQuietly(Named named, boolean report) {
        long start = System.nanoTime();
        try {
            named.part().stop();
        } catch (Exception e) {
            console.info("  !!  " + named.name() + " did not stop cleanly: " + e.getMessage());
            org.slf4j.LoggerFactory.getLogger(RunningStack.class).warn("stopping {} failed", named.name(), e);
        }
        if (report) {
            console.stopped(named.name(), Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
