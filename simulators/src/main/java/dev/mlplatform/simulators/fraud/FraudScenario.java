package dev.mlplatform.simulators.fraud;

/** Why a simulated transaction is fraudulent. */
public enum FraudScenario {
    /** Not fraud. */
    LEGITIMATE,
    /** Any amount above the simulator's large-amount limit (the handbook's scenario 1). */
    LARGE_AMOUNT,
    /** Every transaction at a terminal compromised in the last 28 days (scenario 2). */
    COMPROMISED_TERMINAL,
    /** A third of a compromised customer's transactions for 14 days, with amounts times five (scenario 3). */
    COMPROMISED_CARD,
    /** A stolen card tested with a burst of small e-commerce payments from a new device, far from home. */
    CARD_TESTING_BURST
}
