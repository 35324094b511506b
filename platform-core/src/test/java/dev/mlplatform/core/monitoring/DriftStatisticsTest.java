package dev.mlplatform.core.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DriftStatisticsTest {

    private static final double[] QUARTERS = {0.25, 0.25, 0.25, 0.25};

    @Test
    void psiOfTwoBinsThatTradedSharesIsTheSumOfTheirTerms() {
        double[] actual = {0.10, 0.40, 0.25, 0.25};

        // (0.10 - 0.25)·ln(0.10/0.25) + (0.40 - 0.25)·ln(0.40/0.25)
        //   = (-0.15)·(-0.916291) + 0.15·0.470004 = 0.137444 + 0.070501
        assertThat(DriftStatistics.psi(QUARTERS, actual)).isCloseTo(0.207944, within(1e-6));
    }

    @Test
    void psiOfIdenticalDistributionsIsZero() {
        assertThat(DriftStatistics.psi(QUARTERS, QUARTERS)).isZero();
    }

    @Test
    void anEmptyBinCountsWithTheEpsilonShareInsteadOfAnInfiniteLogarithm() {
        double[] expected = {0.5, 0.5};
        double[] actual = {1.0, 0.0};

        // (1 - 0.5)·ln(1/0.5) + (1e-4 - 0.5)·ln(1e-4/0.5) = 0.346574 + 4.257745
        assertThat(DriftStatistics.psi(expected, actual)).isCloseTo(4.604318, within(1e-6));
    }

    @Test
    void ksIsTheLargestGapBetweenTheCumulativeShares() {
        double[] actual = {0.10, 0.40, 0.25, 0.25};

        // cumulative at the edges: expected 0.25, 0.50, 0.75; actual 0.10, 0.50, 0.75
        assertThat(DriftStatistics.ks(QUARTERS, actual)).isCloseTo(0.15, within(1e-12));
        assertThat(DriftStatistics.ks(QUARTERS, QUARTERS)).isZero();
    }

    @Test
    void refusesDistributionsOverDifferentBins() {
        assertThatThrownBy(() -> DriftStatistics.psi(QUARTERS, new double[] {0.5, 0.5}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
