package dev.mlplatform.recsys.serving;

/**
 * How a request is served: the blend, the diversification and the exploration. An experiment arm is a policy.
 *
 * @param experiment       the experiment the user is in, or null
 * @param arm              the user's arm in it, or null
 * @param weights          the blend of the sources
 * @param diversity        MMR's trade-off: 0 ranks by score alone, 1 by novelty against what is already chosen
 * @param explorationSlots how many places of the list the bandit may give to a new item (0 turns it off)
 */
public record ServingPolicy(String experiment, String arm, BlendWeights weights, double diversity,
                            int explorationSlots) {

    public ServingPolicy {
        if (!(diversity >= 0 && diversity <= 1)) {
            throw new IllegalArgumentException("diversity must be between 0 and 1, got " + diversity);
        }
        if (explorationSlots < 0) {
            throw new IllegalArgumentException("exploration slots must be 0 or more, got " + explorationSlots);
        }
    }

    public ServingPolicy withDiversity(double diversity) {
        return new ServingPolicy(experiment, arm, weights, diversity, explorationSlots);
    }
}
