package dev.mlplatform.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

class SignificanceTestsTest {

    @Test
    void twoProportionZTestMatchesAHandWorkedExample() {
        // Control 120 of 1000 (12 %), treatment 150 of 1000 (15 %). Pooled rate 270 / 2000 = 0.135;
        // standard error sqrt(0.135 × 0.865 × (1/1000 + 1/1000)) = 0.0152824; z = 0.03 / 0.0152824 = 1.96305;
        // two-sided p = 2 × (1 − Φ(1.96305)) = 0.04964: just significant at 5 %.
        ProportionTest test = SignificanceTests.twoProportionZTest(120, 1000, 150, 1000);

        assertThat(test.controlRate()).isEqualTo(0.12);
        assertThat(test.treatmentRate()).isEqualTo(0.15);
        assertThat(test.difference()).isCloseTo(0.03, within(1e-12));
        assertThat(test.z()).isCloseTo(1.963050, within(1e-6));
        assertThat(test.pValue()).isCloseTo(0.049640, within(1e-6));
        assertThat(test.significantAt(0.05)).isTrue();
        assertThat(test.significantAt(0.01)).isFalse();
    }

    @Test
    void twoProportionZTestIsSymmetricAndNotSignificantForASmallDifference() {
        // 45 / 500 against 60 / 500: z = 1.54734, p = 0.12178.
        ProportionTest up = SignificanceTests.twoProportionZTest(45, 500, 60, 500);
        ProportionTest down = SignificanceTests.twoProportionZTest(60, 500, 45, 500);

        assertThat(up.z()).isCloseTo(1.547338, within(1e-6));
        assertThat(up.pValue()).isCloseTo(0.121782, within(1e-6));
        assertThat(down.z()).isCloseTo(-up.z(), within(1e-12));
        assertThat(down.pValue()).isCloseTo(up.pValue(), within(1e-12));
        assertThat(up.significantAt(0.05)).isFalse();
    }

    @Test
    void aZTestWithoutDataOrWithoutVariationIsUndefinedNotZero() {
        assertThat(SignificanceTests.twoProportionZTest(0, 0, 5, 10).pValue()).isNaN();
        ProportionTest allDeclined = SignificanceTests.twoProportionZTest(10, 10, 20, 20);
        assertThat(allDeclined.difference()).isZero();
        assertThat(allDeclined.z()).isNaN();
        assertThat(allDeclined.pValue()).isNaN();
        assertThat(allDeclined.significantAt(0.05)).isFalse();
        assertThatThrownBy(() -> SignificanceTests.twoProportionZTest(11, 10, 0, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static final double[] WIKIPEDIA_A1 = {27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1,
            19.6, 19.0, 21.7, 21.4};
    private static final double[] WIKIPEDIA_A2 = {27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9,
            22.1, 22.9, 20.5, 24.4};

    private static Moments moments(double... values) {
        double sum = 0;
        double squares = 0;
        for (double value : values) {
            sum += value;
            squares += value * value;
        }
        return new Moments(values.length, sum, squares);
    }

    @Test
    void welchTTestMatchesTheWorkedExampleOfItsWikipediaArticle() {
        // "Welch's t-test", example 1: t = 2.46 (A2 − A1), ν = 24.99, p = 0.021.
        MeanTest test = SignificanceTests.welchTTest(moments(WIKIPEDIA_A1), moments(WIKIPEDIA_A2));

        assertThat(test.controlMean()).isCloseTo(20.82, within(1e-9));
        assertThat(test.treatmentMean()).isCloseTo(22.986667, within(1e-6));
        assertThat(test.t()).isCloseTo(2.455356, within(1e-5));
        assertThat(test.degreesOfFreedom()).isCloseTo(24.988529, within(1e-5));
        assertThat(test.pValue()).isCloseTo(0.021378, within(1e-5));
        assertThat(test.significantAt(0.05)).isTrue();
    }

    @Test
    void welchTTestOnUnequalSizesAndVariancesAgreesWithCommonsMathsOwn() {
        // Example 2 of the same article: t = 1.57, ν = 9.90, p = 0.149.
        double[] control = {17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8};
        double[] treatment = {21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5, 22.5, 23.6,
                21.5, 22.5, 23.5, 21.5, 21.8};

        MeanTest test = SignificanceTests.welchTTest(moments(control), moments(treatment));

        assertThat(test.t()).isCloseTo(1.565434, within(1e-5));
        assertThat(test.degreesOfFreedom()).isCloseTo(9.904741, within(1e-5));
        assertThat(test.pValue()).isCloseTo(0.148842, within(1e-5));
        SummaryStatistics a = new SummaryStatistics();
        SummaryStatistics b = new SummaryStatistics();
        java.util.Arrays.stream(control).forEach(a::addValue);
        java.util.Arrays.stream(treatment).forEach(b::addValue);
        assertThat(test.pValue()).isCloseTo(new TTest().tTest(a, b), within(1e-9));
    }

    @Test
    void aTTestBelowTwoObservationsOrWithoutVarianceIsUndefined() {
        assertThat(SignificanceTests.welchTTest(moments(0.5), moments(0.1, 0.2)).pValue()).isNaN();
        MeanTest constant = SignificanceTests.welchTTest(moments(0.3, 0.3, 0.3), moments(0.3, 0.3));
        assertThat(constant.difference()).isCloseTo(0, within(1e-12));
        assertThat(constant.pValue()).isNaN();
        assertThat(moments(0.3, 0.3, 0.3).variance()).isZero();
    }
}
