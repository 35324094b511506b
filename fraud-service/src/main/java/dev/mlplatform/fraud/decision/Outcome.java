package dev.mlplatform.fraud.decision;

/** What happens to a transaction, from the mildest to the strictest. */
public enum Outcome {
    APPROVE, REVIEW, DECLINE;

    /** The stricter of the two. */
    public Outcome atLeast(Outcome other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
