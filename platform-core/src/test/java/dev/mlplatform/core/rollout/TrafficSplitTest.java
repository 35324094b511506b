package dev.mlplatform.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;

class TrafficSplitTest {

    private static final int KEYS = 100_000;

    private static String card(int i) {
        return "ct_" + Integer.toHexString(i * 7919 + 13);
    }

    @Test
    void aKeyFallsInTheSameBucketEveryTimeAndInEveryInstance() {
        TrafficSplit split = new TrafficSplit("canary");
        TrafficSplit again = new TrafficSplit("canary");
        for (int i = 0; i < 1_000; i++) {
            assertThat(split.bucket(card(i))).isBetween(0, TrafficSplit.BUCKETS - 1)
                    .isEqualTo(split.bucket(card(i))).isEqualTo(again.bucket(card(i)));
        }
    }

    @Test
    void pinsTheHashSoThatBucketsSurviveAReleaseUnchanged() {
        // Changing the hash would move every card to another canary or arm mid-experiment: these must never change.
        TrafficSplit split = new TrafficSplit("canary");
        assertThat(split.bucket("ct_abc")).isEqualTo(new TrafficSplit("canary").bucket("ct_abc"));
        int[] buckets = {split.bucket(""), split.bucket("ct_abc"), new TrafficSplit("").bucket("")};
        // Computed independently (a few lines of Python over the same definition) when the hash was chosen.
        assertThat(buckets).containsExactly(2447, 8656, 2267);
    }

    @Test
    void bucketsAreUniformOverAHundredThousandKeys() {
        TrafficSplit split = new TrafficSplit("uniformity");
        int cells = 100;
        long[] counts = new long[cells];
        for (int i = 0; i < KEYS; i++) {
            counts[split.bucket(card(i)) * cells / TrafficSplit.BUCKETS]++;
        }
        double expected = (double) KEYS / cells;
        double chiSquare = 0;
        for (long count : counts) {
            chiSquare += (count - expected) * (count - expected) / expected;
        }
        // Uniform buckets pass this at the 0.1 % level; a biased hash (e.g. raw FNV's low bits) fails by far.
        double critical = new ChiSquaredDistribution(cells - 1).inverseCumulativeProbability(0.999);
        assertThat(chiSquare).isLessThan(critical);
    }

    @Test
    void aShareRoutesTheSameKeysEveryTimeAndGrowingItOnlyAddsKeys() {
        TrafficSplit split = new TrafficSplit("canary");
        int inTen = 0;
        for (int i = 0; i < KEYS; i++) {
            String key = card(i);
            boolean ten = split.inShare(key, 0.10);
            assertThat(split.inShare(key, 0.10)).isEqualTo(ten);
            if (ten) {
                inTen++;
                assertThat(split.inShare(key, 0.20)).as("a 10 % key stays in at 20 %").isTrue();
            }
        }
        // Binomial(100 000, 0.1): standard deviation ≈ 95; five of them either side.
        assertThat(inTen).isBetween(10_000 - 475, 10_000 + 475);
        assertThat(split.inShare(card(1), 0.0)).isFalse();
        assertThat(split.inShare(card(1), 1.0)).isTrue();
    }

    @Test
    void differentSaltsSplitTheSameKeysIndependently() {
        TrafficSplit first = new TrafficSplit("experiment-a");
        TrafficSplit second = new TrafficSplit("experiment-b");
        int both = 0;
        int firstOnly = 0;
        for (int i = 0; i < KEYS; i++) {
            boolean a = first.inShare(card(i), 0.5);
            boolean b = second.inShare(card(i), 0.5);
            if (a && b) {
                both++;
            }
            if (a) {
                firstOnly++;
            }
        }
        // Independent halves overlap on a quarter of the keys (standard deviation ≈ 137); the same salt would on a half.
        assertThat(both).isBetween(25_000 - 700, 25_000 + 700);
        assertThat(firstOnly).isBetween(50_000 - 800, 50_000 + 800);
    }

    @Test
    void theSaltAndKeyBoundaryMatters() {
        assertThat(new TrafficSplit("ab").bucket("c")).isNotEqualTo(new TrafficSplit("a").bucket("bc"));
    }

    @Test
    void refusesAShareOutsideZeroToOne() {
        TrafficSplit split = new TrafficSplit("canary");
        assertThatThrownBy(() -> split.inShare("k", 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> split.inShare("k", Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(TrafficSplit.bucketsFor(0.1)).isEqualTo(1_000);
    }
}
