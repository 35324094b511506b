package dev.mlplatform.recsys.serving;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Thompson sampling over new items (Chapelle and Li, 2011): each arm's click-through is drawn from its Beta
 * posterior and the highest draw wins. An item never shown draws from the uniform prior, so every new item gets
 * its chances; one shown often without success stops winning by itself — exploration that fades as evidence
 * accumulates, with no rate to tune.
 */
public final class ThompsonSampler {

    private ThompsonSampler() {
    }

    /** The arm with the highest posterior draw, among those not in {@code excluded}; empty when none is left. */
    public static Optional<BanditArm> choose(Collection<BanditArm> arms, Set<String> excluded, RandomGenerator random) {
        BanditArm best = null;
        double bestDraw = -1;
        for (BanditArm arm : arms) {
            if (excluded.contains(arm.itemId())) {
                continue;
            }
            double draw = new BetaDistribution(random, arm.successes() + 1, arm.impressions() - arm.successes() + 1)
                    .sample();
            if (draw > bestDraw) {
                bestDraw = draw;
                best = arm;
            }
        }
        return Optional.ofNullable(best);
    }
}
