package dev.mlplatform.fraud.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CardPrecisionTest {

    @Test
    void handComputedWithCardsFoundOnEarlierDaysLeftOut() {
        Scored scored = new Scored()
                // Day 1: risks A 0.9 (fraud), B 0.8, C 0.7 (its 0.2 transaction is a fraud), D 0.1 (fraud).
                .add("2018-07-15", "A", 0.9f, true)
                .add("2018-07-15", "B", 0.8f, false)
                .add("2018-07-15", "B", 0.3f, false)
                .add("2018-07-15", "C", 0.7f, false)
                .add("2018-07-15", "C", 0.2f, true)
                .add("2018-07-15", "D", 0.1f, true)
                // Day 2: A was found on day 1 and is blocked; C now makes the top 2 beside B.
                .add("2018-07-16", "A", 0.95f, true)
                .add("2018-07-16", "C", 0.6f, true)
                .add("2018-07-16", "B", 0.5f, false)
                .add("2018-07-16", "D", 0.4f, true)
                // Day 3: C was found on day 2; D alone is left, not compromised that day.
                .add("2018-07-17", "C", 0.99f, true)
                .add("2018-07-17", "D", 0.2f, false);

        // Day 1: top 2 = A, B → 1/2. Day 2: top 2 = C, B → 1/2 (with A it would have been 2/2).
        // Day 3: top 2 = D → 0/2 (always over k). Mean (0.5 + 0.5 + 0) / 3.
        assertThat(CardPrecision.atK(scored.examples(), scored.scores(), 2)).isCloseTo(1 / 3.0, within(1e-12));
        // k = 4: day 1 finds A, C and D (3/4); all blocked, day 2 has only B (0/4) and day 3 no card left (0),
        // a day that still counts.
        assertThat(CardPrecision.atK(scored.examples(), scored.scores(), 4)).isCloseTo(0.75 / 3, within(1e-12));
    }

    @Test
    void equalRisksAreRankedByCardId() {
        Scored scored = new Scored()
                .add("2018-07-15", "b", 0.5f, false)
                .add("2018-07-15", "a", 0.5f, true);

        assertThat(CardPrecision.atK(scored.examples(), scored.scores(), 1)).isEqualTo(1.0);
    }

    @Test
    void undefinedWithoutRows() {
        assertThat(CardPrecision.atK(new Scored().examples(), new float[0], 100)).isNaN();
    }

    private static final class Scored {

        private final TimeSplitTest.Rows rows = new TimeSplitTest.Rows();
        private final List<Float> scores = new ArrayList<>();

        Scored add(String day, String card, float score, boolean fraud) {
            rows.add(card, day, fraud);
            scores.add(score);
            return this;
        }

        Examples examples() {
            return rows.examples();
        }

        float[] scores() {
            float[] array = new float[scores.size()];
            for (int i = 0; i < array.length; i++) {
                array[i] = scores.get(i);
            }
            return array;
        }
    }
}
