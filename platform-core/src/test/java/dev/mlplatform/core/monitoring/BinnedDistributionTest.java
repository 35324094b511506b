package dev.mlplatform.core.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BinnedDistributionTest {

    private static final double[] ONE_TO_HUNDRED = IntStream.rangeClosed(1, 100).asDoubleStream().toArray();

    @Test
    void putsEdgesAtTheDecilesSoThatEachBinHoldsATenth() {
        BinnedDistribution deciles = BinnedDistribution.fit(ONE_TO_HUNDRED, 10);

        assertThat(deciles.edges()).containsExactly(10, 20, 30, 40, 50, 60, 70, 80, 90);
        assertThat(deciles.shares()).containsOnly(0.1);
        assertThat(deciles.sampleSize()).isEqualTo(100);
    }

    @Test
    void aBinHoldsTheValuesUpToAndIncludingItsEdge() {
        BinnedDistribution deciles = BinnedDistribution.fit(ONE_TO_HUNDRED, 10);

        assertThat(deciles.binOf(-5)).isZero();
        assertThat(deciles.binOf(10)).isZero();
        assertThat(deciles.binOf(10.5)).isEqualTo(1);
        assertThat(deciles.binOf(90)).isEqualTo(8);
        assertThat(deciles.binOf(1e9)).isEqualTo(9);
    }

    @Test
    void tiedValuesMergeBinsSoThatNoReferenceBinIsEmpty() {
        double[] mostlyOne = IntStream.range(0, 100).mapToDouble(i -> i < 85 ? 1 : i < 95 ? 2 : 7).toArray();

        BinnedDistribution counts = BinnedDistribution.fit(mostlyOne, 10);

        assertThat(counts.edges()).containsExactly(1, 2);
        assertThat(counts.shares()).containsExactly(0.85, 0.10, 0.05);
        assertThat(BinnedDistribution.fit(new double[] {3, 3, 3}, 10).bins()).isEqualTo(1);
    }

    @Test
    void leavesNaNAndInfiniteValuesOut() {
        BinnedDistribution fitted = BinnedDistribution.fit(new double[] {1, 2, Double.NaN, 3, 4,
                Double.POSITIVE_INFINITY}, 2);

        assertThat(fitted.sampleSize()).isEqualTo(4);
        assertThat(fitted.edges()).containsExactly(2);
        assertThatThrownBy(() -> BinnedDistribution.fit(new double[] {Double.NaN}, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesSharesThatDoNotFitTheEdges() {
        assertThatThrownBy(() -> new BinnedDistribution(new double[] {1, 1}, new double[] {0.3, 0.3, 0.4}, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BinnedDistribution(new double[] {1}, new double[] {0.3, 0.3}, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReferenceSurvivesItsJsonForm() {
        Map<String, double[]> samples = new LinkedHashMap<>();
        samples.put("risk_score", IntStream.range(0, 1000).mapToDouble(i -> i / 1000.0).toArray());
        samples.put("amount", ONE_TO_HUNDRED);
        DriftReference reference = DriftReference.fit(samples, DriftReference.DEFAULT_BINS);

        DriftReference read = DriftReference.fromJson(reference.toJson());

        assertThat(read).isEqualTo(reference);
        assertThat(read.features().keySet()).containsExactly("risk_score", "amount");
        assertThat(DriftReference.fromLineageParams(Map.of(DriftReference.LINEAGE_PARAM, reference.toJson())))
                .contains(reference);
        assertThat(DriftReference.fromLineageParams(Map.of("max_depth", "4"))).isEmpty();
    }
}
