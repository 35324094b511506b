package dev.mlplatform.recsys.serving;

import dev.mlplatform.recsys.ranking.BlendWeights;

/**
 * How a request is served: the blend, the diversification and the exploration. An experiment arm is a policy.
 *
 * @param experiment       the experiment the user is in, or null
 * @param arm              the user's arm in it, or null
 * @param weights          the blend of the sources, set by hand
 * @param learntWeights    whether the production ranker's learnt weights replace {@code weights} once one is
 *                         registered
 * @param diversity        MMR's trade-off: 0 ranks by score alone, 1 by novelty against what is already chosen
 * @param explorationSlots how many places of the list the bandit may give to a new item (0 turns it off)
 */
public record ServingPolicy(String experiment, String arm, BlendWeights weights, boolean learntWeights,
                            double diversity, int explorationSlots) {

    public ServingPolicy {
        if (!(diversity >= 0 && diversity <= 1)) {
            throw new IllegalArgumentException("diversity must be between 0 and 1, got " + diversity);
        }
        if (explorationSlots < 0) {
            throw new IllegalArgumentException("exploration slots must be 0 or more, got " + explorationSlots);
        }
    }

    public ServingPolicy withDiversity(double diversity) {
        return new ServingPolicy(experiment, arm, weights, learntWeights, diversity, explorationSlots);
    }

    /** This policy as an arm of an experiment. */
    public ServingPolicy inArm(String experiment, String arm) {
        return new ServingPolicy(experiment, arm, weights, learntWeights, diversity, explorationSlots);
    }
}
