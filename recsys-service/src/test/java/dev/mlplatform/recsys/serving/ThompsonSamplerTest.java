package dev.mlplatform.recsys.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.apache.commons.math3.random.JDKRandomGenerator;
import org.junit.jupiter.api.Test;

class ThompsonSamplerTest {

    @Test
    void anItemThatKeepsFailingStopsWinningWhileAnUnseenOneStillGetsItsChances() {
        List<BanditArm> arms = List.of(new BanditArm("failing", 200, 2), new BanditArm("unseen", 0, 0),
                new BanditArm("good", 200, 60));
        JDKRandomGenerator random = new JDKRandomGenerator(7);
        int failing = 0;
        int unseen = 0;
        int good = 0;
        for (int draw = 0; draw < 2_000; draw++) {
            switch (ThompsonSampler.choose(arms, Set.of(), random).orElseThrow().itemId()) {
                case "failing" -> failing++;
                case "unseen" -> unseen++;
                default -> good++;
            }
        }
        // An unseen item draws from the uniform prior: it beats a 30 % click-through about 70 % of the time, which is
        // how a new item gets shown until it has evidence of its own.
        assertThat(failing).isZero();
        assertThat(unseen).isBetween(1_250, 1_550);
        assertThat(good).isEqualTo(2_000 - unseen);
    }

    @Test
    void excludedItemsAreNeverChosen() {
        List<BanditArm> arms = List.of(new BanditArm("a", 0, 0), new BanditArm("b", 0, 0));

        assertThat(ThompsonSampler.choose(arms, Set.of("a"), new JDKRandomGenerator(1))).map(BanditArm::itemId)
                .contains("b");
        assertThat(ThompsonSampler.choose(arms, Set.of("a", "b"), new JDKRandomGenerator(1))).isEmpty();
    }
}
