package dev.mlplatform.core.rollout;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving model, replaceable while requests run (blue-green hot swap) without failing any.
 *
 * <p>Each installed model is a <em>generation</em> with a reference count: one reference held by
 * this holder while the generation is current, one per {@link Lease} in flight. A request
 * {@linkplain #acquire() acquires} the current generation (count + 1) and releases it when done
 * (count − 1). {@link #swap} publishes the new generation with one atomic reference write and then
 * drops the holder's reference to the old one; whoever brings its count to zero — the swapping
 * thread if the old model was idle, else the last request still using it — closes it.
 *
 * <p>Why no request can meet a closed model: a count never rises from zero (acquiring is a
 * compare-and-set that refuses zero), and it reaches zero only after the generation stopped being
 * current and its last lease was released. A request that loses that race simply re-reads the
 * current generation, which is then the newer one. Requests that started on the old model finish
 * on it: every answer comes from one whole model, old or new.
 *
 * @param <M> the model; closed when retired
 */
public final class SwappableModel<M extends AutoCloseable> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SwappableModel.class);

    private final AtomicReference<Generation<M>> current = new AtomicReference<>();
    /** Marks a closed holder; never leased. */
    private final Generation<M> closed = new Generation<>("closed", null);
    private final AtomicLong swaps = new AtomicLong();

    private SwappableModel() {
    }

    /** A holder with no model yet: requests fail with {@link NoServingModelException} until the first swap. */
    public static <M extends AutoCloseable> SwappableModel<M> empty() {
        return new SwappableModel<>();
    }

    /** A holder serving {@code model} as {@code version}. */
    public static <M extends AutoCloseable> SwappableModel<M> serving(String version, M model) {
        SwappableModel<M> holder = new SwappableModel<>();
        holder.swap(version, model);
        return holder;
    }

    /**
     * Leases the current model; close the lease (try-with-resources) when the request is done.
     *
     * @throws NoServingModelException when no model is installed or the holder is closed
     */
    public Lease<M> acquire() {
        while (true) {
            Generation<M> generation = current.get();
            if (generation == null) {
                throw new NoServingModelException("no model is serving yet");
            }
            if (generation == closed) {
                throw new NoServingModelException("the serving model holder is closed");
            }
            if (generation.retain()) {
                return new Lease<>(generation);
            }
            // Swapped out and fully released since we read it: the current one is newer. Retry.
        }
    }

    /** Runs {@code call} on the current model, holding a lease for its duration. */
    public <R, X extends Exception> R apply(ModelCall<M, R, X> call) throws X {
        try (Lease<M> lease = acquire()) {
            return call.call(lease.model(), lease.version());
        }
    }

    /**
     * Installs {@code model} as {@code version}. Requests that start afterwards use it; the replaced
     * model is closed once the requests already using it have finished.
     *
     * @return the version replaced, if any
     * @throws NoServingModelException when the holder is closed ({@code model} is closed then)
     */
    public Optional<String> swap(String version, M model) {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(model, "model");
        Generation<M> next = new Generation<>(version, model);
        while (true) {
            Generation<M> previous = current.get();
            if (previous == closed) {
                next.release();
                throw new NoServingModelException("the serving model holder is closed");
            }
            if (current.compareAndSet(previous, next)) {
                swaps.incrementAndGet();
                if (previous == null) {
                    return Optional.empty();
                }
                previous.release();
                return Optional.of(previous.version);
            }
        }
    }

    /**
     * Takes the current model out of service, as when a canary or shadow version leaves its stage:
     * requests that start afterwards fail with {@link NoServingModelException} until the next
     * {@link #swap}; the retired model is closed once the requests already using it have finished.
     *
     * @return the version retired, if one was serving
     */
    public Optional<String> retire() {
        while (true) {
            Generation<M> previous = current.get();
            if (previous == null || previous == closed) {
                return Optional.empty();
            }
            if (current.compareAndSet(previous, null)) {
                previous.release();
                return Optional.of(previous.version);
            }
        }
    }

    /** The version serving now, for metrics and responses; empty before the first model and after close. */
    public Optional<String> version() {
        Generation<M> generation = current.get();
        return generation == null || generation == closed ? Optional.empty() : Optional.of(generation.version);
    }

    /** How many models have been installed, the first one included. */
    public long swapCount() {
        return swaps.get();
    }

    /** Retires the current model (closed after its last request); later requests fail. */
    @Override
    public void close() {
        Generation<M> previous = current.getAndSet(closed);
        if (previous != null && previous != closed) {
            previous.release();
        }
    }

    /** The right to use one model until closed. Not shared between threads' requests. */
    public static final class Lease<M extends AutoCloseable> implements AutoCloseable {

        private final Generation<M> generation;
        private boolean released;

        private Lease(Generation<M> generation) {
            this.generation = generation;
        }

        public M model() {
            if (released) {
                throw new IllegalStateException("lease on " + generation.version + " already released");
            }
            return generation.model;
        }

        public String version() {
            return generation.version;
        }

        /** Releases the model; a second call does nothing. */
        @Override
        public void close() {
            if (!released) {
                released = true;
                generation.release();
            }
        }
    }

    private static final class Generation<M extends AutoCloseable> {

        private final String version;
        private final M model;
        /** The holder's own reference while current, plus one per lease. */
        private final AtomicInteger references = new AtomicInteger(1);

        private Generation(String version, M model) {
            this.version = version;
            this.model = model;
        }

        private boolean retain() {
            int count;
            do {
                count = references.get();
                if (count == 0) {
                    return false;
                }
            } while (!references.compareAndSet(count, count + 1));
            return true;
        }

        private void release() {
            int count = references.decrementAndGet();
            if (count == 0 && model != null) {
                try {
                    model.close();
                    log.info("closed retired model {}", version);
                } catch (Exception e) {
                    // The model is out of service either way; a failed close must not fail a request.
                    log.warn("closing retired model {} failed", version, e);
                }
            } else if (count < 0) {
                throw new IllegalStateException("model " + version + " released more often than acquired");
            }
        }
    }
}
