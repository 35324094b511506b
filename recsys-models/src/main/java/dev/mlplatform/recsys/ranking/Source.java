package dev.mlplatform.recsys.ranking;

/** Where a candidate came from; each source's score is scaled to [0, 1] before the sources are blended. */
public enum Source {
    /** The nightly batch's model over the user's whole history (precomputed in Redis). */
    COLLABORATIVE,
    /** Neighbours of what the user did in the last minutes: the real-time adjustment. */
    RECENT,
    /** Nearest in the two-tower model's space to what the user did lately: retrieval from the whole catalogue. */
    EMBEDDING,
    /** Most interacted-with in the user's region (or overall) over the last hour. */
    TRENDING,
    /** Genres the user stated or keeps choosing. */
    CONTENT,
    /** A new item placed by the bandit, to learn whether people want it. */
    EXPLORATION;

    /** The name in responses and metrics. */
    public String label() {
        return name().toLowerCase();
    }
}
