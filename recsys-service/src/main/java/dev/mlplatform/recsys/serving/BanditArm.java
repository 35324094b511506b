package dev.mlplatform.recsys.serving;

/**
 * What the bandit knows of one new item: how often it was shown and how often that led to an interaction.
 * Thompson sampling draws from Beta(successes + 1, impressions - successes + 1).
 */
public record BanditArm(String itemId, long impressions, long successes) {

    public BanditArm {
        if (impressions < 0 || successes < 0) {
            throw new IllegalArgumentException("negative counts for " + itemId);
        }
        // Feedback can land before its impression is counted (two writers): never let the posterior go invalid.
        successes = Math.min(successes, impressions);
    }
}
