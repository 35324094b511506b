package dev.mlplatform.core.registry;

/**
 * Where a model version stands in its rollout. At most one version of a model is in
 * {@link #PRODUCTION} at a time (the database enforces it).
 */
public enum ModelStage {
    /** Stored with its metrics and lineage; serves no traffic. */
    REGISTERED,
    /** Scores live traffic beside production; its answers are logged, never used. */
    SHADOW,
    /** Serves a configured share of live traffic. */
    CANARY,
    /** Serves all traffic not routed elsewhere. */
    PRODUCTION,
    /** Retired: replaced, rolled back or withdrawn. Can be promoted again. */
    ARCHIVED
}
