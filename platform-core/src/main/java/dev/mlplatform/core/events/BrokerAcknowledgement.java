package dev.mlplatform.core.events;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Waiting for the broker to acknowledge one send, for events that have no outbox (a fraud label, a user's
 * interaction): the caller must learn whether the event arrived, and the client sends it again if not. A send
 * given up on may still reach the topic later (the producer goes on retrying it), so consumers deduplicate by
 * the event's id.
 */
public final class BrokerAcknowledgement {

    private BrokerAcknowledgement() {
    }

    /**
     * Sends and waits at most {@code timeout} for the acknowledgement.
     *
     * @param send what sends (e.g. {@code () -> kafka.send(topic, key, value)}); a send refused at once (no
     *             metadata within the producer's {@code max.block.ms}, a closed producer) throws from here
     * @param what the event, for the message, e.g. "the label of tx-1"
     * @throws NotAcknowledgedException when it was refused, failed or not acknowledged in time
     */
    public static void await(Supplier<? extends CompletableFuture<?>> send, Duration timeout, String what) {
        try {
            send.get().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new NotAcknowledgedException("the broker did not acknowledge " + what + " within "
                    + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new NotAcknowledgedException(what + " was not delivered: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotAcknowledgedException("interrupted while waiting for the broker", e);
        } catch (RuntimeException e) {
            throw new NotAcknowledgedException(what + " could not be sent: " + e, e);
        }
    }

    /** The event may not be on the topic: whoever sent it should send it again. */
    public static final class NotAcknowledgedException extends RuntimeException {
        NotAcknowledgedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
