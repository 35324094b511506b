package dev.mlplatform.fraud.decision;

/** Where a transaction came in. */
public enum Source {
    /** {@code POST /api/fraud/v1/score}: also forwarded to the transactions topic for the feature job. */
    REST,
    /** The {@code fraud.transactions.v1} topic. */
    KAFKA
}
