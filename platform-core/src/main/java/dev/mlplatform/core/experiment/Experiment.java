package dev.mlplatform.core.experiment;

import dev.mlplatform.core.rollout.TrafficSplit;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An A/B experiment: arms with weights, a salt, and the time it runs. Assignment is sticky: a key
 * (a card token, a user id) falls in the same arm every time, in every process, because it is a
 * range of {@link TrafficSplit} buckets of the experiment's salt. Arm {@code i} holds the buckets
 * from the sum of the weights before it to the sum including it, scaled to {@value TrafficSplit#BUCKETS};
 * changing a weight therefore moves only the keys at the boundaries it shifts.
 *
 * <p>The first arm is the control that every other arm is compared with.
 */
public final class Experiment {

    /**
     * One arm.
     *
     * @param name   unique within the experiment; the tag its metrics carry
     * @param weight its share of the keys relative to the other arms' weights; 0 pauses it
     */
    public record Arm(String name, int weight) {

        public Arm {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("an arm needs a name");
            }
            if (weight < 0) {
                throw new IllegalArgumentException("arm " + name + ": weight must not be negative, got " + weight);
            }
        }
    }

    private final String name;
    private final List<Arm> arms;
    private final TrafficSplit split;
    private final Instant start;
    private final Instant stop;
    /** Upper bucket bound (exclusive) of each arm, in arm order. */
    private final int[] upperBuckets;

    /**
     * @param salt  the traffic split's salt; null takes the name, so that two experiments split independently
     * @param start when it starts; null: already running
     * @param stop  when it stops; null: until removed
     * @throws IllegalArgumentException when fewer than two arms, duplicate arm names, all weights zero,
     *                                  or a stop not after the start
     */
    public Experiment(String name, List<Arm> arms, String salt, Instant start, Instant stop) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an experiment needs a name");
        }
        this.name = name;
        this.arms = List.copyOf(arms);
        if (this.arms.size() < 2) {
            throw new IllegalArgumentException("experiment " + name + " needs at least two arms, has " + this.arms.size());
        }
        Set<String> names = new HashSet<>();
        long total = 0;
        for (Arm arm : this.arms) {
            if (!names.add(arm.name())) {
                throw new IllegalArgumentException("experiment " + name + ": arm " + arm.name() + " appears twice");
            }
            total += arm.weight();
        }
        if (total == 0) {
            throw new IllegalArgumentException("experiment " + name + ": every arm has weight 0");
        }
        if (start != null && stop != null && !stop.isAfter(start)) {
            throw new IllegalArgumentException("experiment " + name + ": stop " + stop + " is not after start " + start);
        }
        this.split = new TrafficSplit(salt == null || salt.isBlank() ? name : salt);
        this.start = start;
        this.stop = stop;
        this.upperBuckets = new int[this.arms.size()];
        long cumulative = 0;
        for (int i = 0; i < this.arms.size(); i++) {
            cumulative += this.arms.get(i).weight();
            upperBuckets[i] = (int) (cumulative * TrafficSplit.BUCKETS / total);
        }
    }

    public String name() {
        return name;
    }

    public List<Arm> arms() {
        return arms;
    }

    /** The arm every other one is compared with: the first. */
    public Arm control() {
        return arms.get(0);
    }

    public String salt() {
        return split.salt();
    }

    /** When it starts; null when it runs from the beginning. */
    public Instant start() {
        return start;
    }

    /** When it stops; null when open-ended. */
    public Instant stop() {
        return stop;
    }

    /** Whether it runs at {@code time}: from its start (inclusive) to its stop (exclusive). */
    public boolean runsAt(Instant time) {
        return (start == null || !time.isBefore(start)) && (stop == null || time.isBefore(stop));
    }

    /** Whether the two experiments' running times overlap. */
    public boolean overlaps(Experiment other) {
        boolean thisEndsBeforeOther = stop != null && other.start != null && !stop.isAfter(other.start);
        boolean otherEndsBeforeThis = other.stop != null && start != null && !other.stop.isAfter(start);
        return !thisEndsBeforeOther && !otherEndsBeforeThis;
    }

    /** The key's arm: the same every time for the same key, weights and salt. */
    public Arm assign(String key) {
        int bucket = split.bucket(key);
        for (int i = 0; i < upperBuckets.length; i++) {
            if (bucket < upperBuckets[i]) {
                return arms.get(i);
            }
        }
        // Unreachable: the last upper bound is BUCKETS, above every bucket.
        throw new IllegalStateException("bucket " + bucket + " outside every arm of " + name);
    }

    public Arm arm(String armName) {
        for (Arm arm : arms) {
            if (arm.name().equals(armName)) {
                return arm;
            }
        }
        throw new IllegalArgumentException("experiment " + name + " has no arm " + armName);
    }

    @Override
    public String toString() {
        return "Experiment[" + name + ", arms=" + arms + ", salt=" + salt() + ", start=" + start + ", stop=" + stop + "]";
    }
}
