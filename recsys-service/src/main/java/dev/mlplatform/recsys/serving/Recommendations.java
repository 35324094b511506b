package dev.mlplatform.recsys.serving;

import java.util.List;

/**
 * A user's list, and what produced it.
 *
 * @param userId         who
 * @param items          best first
 * @param modelVersions  the registry versions behind it: the batch candidates' and the real-time neighbours'
 * @param experiment     the experiment the user is in, or null
 * @param arm            the user's arm, or null
 * @param coldStart      nothing personal was known: popularity, stated preferences and exploration only
 * @param degraded       the online store did not answer in time: served from memory
 */
public record Recommendations(String userId, List<RecommendedItem> items, List<String> modelVersions,
                              String experiment, String arm, boolean coldStart, boolean degraded) {

    /**
     * @param reason a sentence for the user: why this item
     * @param source the source that contributed most to its score
     */
    public record RecommendedItem(String itemId, String title, double score, String source, String reason) {
    }
}
