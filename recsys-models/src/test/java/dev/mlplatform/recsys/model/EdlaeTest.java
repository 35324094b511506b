package dev.mlplatform.recsys.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.mlplatform.recsys.evaluation.Interactions;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EdlaeTest {

    private static Interactions onePopularItem() {
        return Interactions.of(pairsWithOnePopularItem());
    }

    /** 100 users; item 0 is in almost every history, items 1..29 in a few each. */
    private static List<String[]> pairsWithOnePopularItem() {
        Random random = new Random(11);
        List<String[]> pairs = new ArrayList<>();
        for (int u = 0; u < 100; u++) {
            if (random.nextDouble() < 0.9) {
                pairs.add(new String[] {"u" + u, "i0"});
            }
            for (int i = 1; i < 30; i++) {
                if (random.nextDouble() < 0.2) {
                    pairs.add(new String[] {"u" + u, "i" + i});
                }
            }
        }
        return pairs;
    }

    @Test
    void withoutDropoutItIsEase() {
        Interactions data = onePopularItem();
        Edlae edlae = new Edlae(10, 0);
        edlae.fit(data);
        Ease ease = new Ease(10);
        ease.fit(data);

        for (int user = 0; user < data.users(); user += 17) {
            double[] expected = ease.scores(user);
            double[] actual = edlae.scores(user);
            for (int item = 0; item < expected.length; item++) {
                assertThat(actual[item]).isCloseTo(expected[item], offset(1e-9));
            }
        }
    }

    @Test
    void dropoutHoldsBackThePopularItemMoreThanTheRareOnes() {
        List<String[]> pairs = new ArrayList<>(pairsWithOnePopularItem());
        // Two users with one item each: their scores are that item's row of B, what its presence gives the others.
        pairs.add(new String[] {"only-popular", "i0"});
        pairs.add(new String[] {"only-rare", "i1"});
        Interactions data = Interactions.of(pairs);
        int onlyPopular = data.users() - 2;
        int onlyRare = data.users() - 1;
        Edlae withoutDropout = new Edlae(10, 0);
        withoutDropout.fit(data);
        Edlae withDropout = new Edlae(10, 0.5);
        withDropout.fit(data);

        double popularShrinks = mass(withDropout.scores(onlyPopular)) / mass(withoutDropout.scores(onlyPopular));
        double rareShrinks = mass(withDropout.scores(onlyRare)) / mass(withoutDropout.scores(onlyRare));

        // Its penalty grows with its count: 0.5 / (1 - 0.5) × about 90 users, against about 20 for a rare item.
        assertThat(popularShrinks).isLessThan(rareShrinks);
    }

    private static double mass(double[] row) {
        double mass = 0;
        for (double weight : row) {
            mass += Math.abs(weight);
        }
        return mass;
    }

    @Test
    void tuningPicksFromItsGrid() {
        Edlae tuned = Edlae.tuned(onePopularItem(), 5, 1, new PrintStream(OutputStream.nullOutputStream()));

        assertThat(Edlae.LAMBDAS).contains(tuned.lambda());
        assertThat(Edlae.DROPOUTS).contains(tuned.dropout());
    }

    @Test
    void rejectsAPenaltyOrDropoutOutOfRange() {
        assertThatThrownBy(() -> new Edlae(0, 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Edlae(10, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Edlae(10, -0.1)).isInstanceOf(IllegalArgumentException.class);
    }
}
