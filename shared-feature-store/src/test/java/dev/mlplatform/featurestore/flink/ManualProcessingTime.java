package dev.mlplatform.featurestore.flink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.operators.ProcessingTimeService;

/** Processing time that moves only when a test says so, firing due timers on the test's thread. */
final class ManualProcessingTime implements ProcessingTimeService {

    private long now;
    private final List<Timer> timers = new ArrayList<>();

    @Override
    public long getCurrentProcessingTime() {
        return now;
    }

    @Override
    public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback callback) {
        Timer timer = new Timer(timestamp, callback);
        timers.add(timer);
        return timer;
    }

    void advanceBy(long millis) throws Exception {
        now += millis;
        for (Timer timer : List.copyOf(timers)) {
            if (!timer.cancelled && timer.timestamp <= now) {
                timers.remove(timer);
                timer.done = true;
                timer.callback.onProcessingTime(now);
            }
        }
    }

    long pendingTimers() {
        return timers.stream().filter(t -> !t.cancelled).count();
    }

    private final class Timer implements ScheduledFuture<Object> {
        private final long timestamp;
        private final ProcessingTimeCallback callback;
        private boolean cancelled;
        private boolean done;

        Timer(long timestamp, ProcessingTimeCallback callback) {
            this.timestamp = timestamp;
            this.callback = callback;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(timestamp - now, TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.MILLISECONDS), other.getDelay(TimeUnit.MILLISECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = !done;
            return cancelled;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
