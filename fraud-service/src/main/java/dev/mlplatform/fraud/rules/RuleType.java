package dev.mlplatform.fraud.rules;

/** The kinds of rule the engine knows; a rule's parameters depend on its kind. */
public enum RuleType {
    /** {@code {"cardTokens": ["ct_…", …]}}: the card is blocked. */
    CARD_BLOCKLIST,
    /** {@code {"merchantIds": ["m-9", …]}}: the merchant is blocked. */
    MERCHANT_BLOCKLIST,
    /** {@code {"maxAmount": 5000, "currency": "EUR"}} (currency optional): the amount exceeds the limit. */
    AMOUNT_LIMIT,
    /**
     * {@code {"window": "5m", "maxCount": 8, "maxAmount": 2000}} (one or both maxima): the card's
     * count or amount over the window, this transaction included, exceeds the limit.
     */
    VELOCITY_LIMIT
}
