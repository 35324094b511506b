package dev.mlplatform.recsys.serving;

import dev.mlplatform.featurestore.definitions.RankedItems;
import java.util.List;
import java.util.Map;

/**
 * Everything known about a user at request time, read from the online store in one go.
 *
 * @param userId          who
 * @param candidates      the nightly batch's candidates, best first (empty for a user the batch has not seen)
 * @param candidateModel  the model that made them, as name:version, or null
 * @param recent          the latest interactions, newest first, with their strength
 * @param region          the request's region, else the latest interaction's, else the stated one; or null
 * @param statedGenres    genres chosen at onboarding, most liked first
 * @param trending        trending items of the region (overall when no region or none trend there)
 * @param trendingRegion  the region {@code trending} is of, or null for overall
 * @param genreTrending   per genre of interest, its trending items
 * @param newItems        the bandit's knowledge of each new item that may be explored
 * @param degraded        the online store did not answer: only what the service holds in memory was used
 */
public record UserSignals(String userId, RankedItems candidates, String candidateModel, RankedItems recent,
                          String region, List<String> statedGenres, RankedItems trending, String trendingRegion,
                          Map<String, RankedItems> genreTrending, List<BanditArm> newItems, boolean degraded) {

    public UserSignals {
        statedGenres = List.copyOf(statedGenres);
        genreTrending = Map.copyOf(genreTrending);
        newItems = List.copyOf(newItems);
    }

    /** Nothing personal known: no history in the batch, nothing recent, nothing stated. */
    public boolean coldStart() {
        return candidates.entries().isEmpty() && recent.entries().isEmpty();
    }
}
