package dev.mlplatform.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed number of keep-alive HTTP/1.1 connections, each a thread that takes the next request from a
 * shared queue, sends it and hands the outcome to the request's callback (wrk2's model). An overloaded
 * server sees a steady number of connections, not a storm of new ones, while the caller still measures
 * each request from when it was due, its wait in the queue included. The queue is bounded: beyond it a
 * request is refused.
 */
final class RequestPool implements AutoCloseable {

    /**
     * How one request ended: a status and body, or an error name ({@code SocketTimeoutException},
     * {@code ConnectException}, …); times on the {@link System#nanoTime()} scale.
     */
    record Outcome(int status, String body, String error, long sentNanos, long doneNanos) {
        boolean ok() {
            return error == null && status == 200;
        }

        /** {@code HTTP 503}, an exception name, or null when it succeeded. */
        String failure() {
            return error != null ? error : status == 200 ? null : "HTTP " + status;
        }
    }

    /** Receives a request's outcome on the connection's thread. */
    @FunctionalInterface
    interface Callback {
        void done(Outcome outcome);
    }

    private record Pending(byte[] request, Callback callback) {
    }

    private final BlockingQueue<Pending> waiting;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    RequestPool(URI server, int connections, Duration timeout, int maxQueued) {
        this.waiting = new LinkedBlockingQueue<>(maxQueued);
        for (int c = 0; c < connections; c++) {
            Thread thread = new Thread(() -> serve(server, timeout), "http-connection-" + c);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    /** Queues {@code request} (complete HTTP bytes); false when the queue is full. */
    boolean submit(byte[] request, Callback callback) {
        return waiting.offer(new Pending(request, callback));
    }

    /** Requests on the wire. */
    int active() {
        return active.get();
    }

    /** Requests waiting for a connection. */
    int waiting() {
        return waiting.size();
    }

    /**
     * Waits up to {@code patience} for the queue to empty, drops what still waits (returned, so that the
     * caller can count it), then waits up to {@code patience} more for the requests on the wire.
     */
    int finish(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<Pending> dropped = new ArrayList<>();
        waiting.drainTo(dropped);
        deadline = System.nanoTime() + patience.toNanos();
        while (active.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return dropped.size();
    }

    private void serve(URI server, Duration timeout) {
        try (Http1Connection http = new Http1Connection(server, Duration.ofSeconds(5), timeout)) {
            while (!closing.get()) {
                Pending pending = waiting.poll(50, TimeUnit.MILLISECONDS);
                if (pending == null) {
                    continue;
                }
                active.incrementAndGet();
                long sent = System.nanoTime();
                Outcome outcome;
                try {
                    Http1Connection.Response response = http.exchange(pending.request());
                    outcome = new Outcome(response.status(), response.bodyText(), null, sent, System.nanoTime());
                } catch (IOException | RuntimeException e) {
                    outcome = new Outcome(0, null, e.getClass().getSimpleName(), sent, System.nanoTime());
                }
                try {
                    pending.callback().done(outcome);
                } finally {
                    active.decrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing.set(true);
        for (Thread thread : threads) {
            thread.join(1000);
        }
    }
}
