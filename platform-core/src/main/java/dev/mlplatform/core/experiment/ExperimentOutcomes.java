package dev.mlplatform.core.experiment;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What each arm of an experiment has seen: units, hits of each rate metric (a decline, a click) and
 * the running sums of each continuous metric (a risk score, a watch time). Thread-safe and
 * lock-free on the recording path.
 *
 * <p>Exported to Micrometer with the experiment and the arm as tags, so that dashboards divide one
 * by the other across all instances: {@code <prefix>.experiment.units} and
 * {@code <prefix>.experiment.hits{metric}} as counters, {@code <prefix>.experiment.value.sum} and
 * {@code <prefix>.experiment.value.squares{metric}} as gauges (a sum of values of any sign is not
 * a counter). {@link #report()} runs the significance tests of each treatment arm against the control
 * over this instance's counts.
 */
public final class ExperimentOutcomes {

    private final Experiment experiment;
    private final List<String> rates;
    private final List<String> means;
    private final Map<String, ArmCounts> arms = new LinkedHashMap<>();

    /**
     * @param rates       names of the rate metrics: each unit either hits them or not
     * @param means       names of the continuous metrics: each unit has a value
     * @param meterPrefix prefix of the meter names, e.g. {@code fraud}
     */
    public ExperimentOutcomes(Experiment experiment, List<String> rates, List<String> means, String meterPrefix,
                              MeterRegistry meters) {
        this.experiment = experiment;
        this.rates = List.copyOf(rates);
        this.means = List.copyOf(means);
        Set<String> names = new HashSet<>();
        for (String metric : this.rates) {
            requireUnique(names, metric);
        }
        for (String metric : this.means) {
            requireUnique(names, metric);
        }
        for (Experiment.Arm arm : experiment.arms()) {
            ArmCounts counts = new ArmCounts(this.rates.size(), this.means.size());
            arms.put(arm.name(), counts);
            Tags tags = Tags.of("experiment", experiment.name(), "arm", arm.name());
            FunctionCounter.builder(meterPrefix + ".experiment.units", counts.units, LongAdder::doubleValue)
                    .description("Units (transactions, sessions) assigned to the arm and observed")
                    .tags(tags)
                    .register(meters);
            for (int i = 0; i < this.rates.size(); i++) {
                FunctionCounter.builder(meterPrefix + ".experiment.hits", counts.hits[i], LongAdder::doubleValue)
                        .description("Units of the arm that a rate metric happened to; divide by units for the rate")
                        .tags(tags.and("metric", this.rates.get(i)))
                        .register(meters);
            }
            for (int i = 0; i < this.means.size(); i++) {
                Tags metric = tags.and("metric", this.means.get(i));
                Gauge.builder(meterPrefix + ".experiment.value.sum", counts.sums[i], DoubleAdder::doubleValue)
                        .description("Sum of a continuous metric over the arm's units; divide by units for the mean")
                        .tags(metric)
                        .register(meters);
                Gauge.builder(meterPrefix + ".experiment.value.squares", counts.squares[i], DoubleAdder::doubleValue)
                        .description("Sum of squares of a continuous metric over the arm's units, for its variance")
                        .tags(metric)
                        .register(meters);
            }
        }
    }

    public Experiment experiment() {
        return experiment;
    }

    /**
     * Records one unit of {@code arm}: the rate metrics in {@code hits} happened to it, and it has the
     * continuous metrics' {@code values} (each declared continuous metric must have one).
     *
     * @throws IllegalArgumentException for an unknown arm or metric, or a missing or non-finite value
     */
    public void record(String arm, Set<String> hits, Map<String, Double> values) {
        ArmCounts counts = arms.get(arm);
        if (counts == null) {
            throw new IllegalArgumentException("experiment " + experiment.name() + " has no arm " + arm);
        }
        for (String hit : hits) {
            if (!rates.contains(hit)) {
                throw new IllegalArgumentException("experiment " + experiment.name() + " has no rate metric " + hit);
            }
        }
        double[] observed = new double[means.size()];
        for (int i = 0; i < observed.length; i++) {
            Double value = values.get(means.get(i));
            if (value == null || !Double.isFinite(value)) {
                throw new IllegalArgumentException("experiment " + experiment.name() + ": metric " + means.get(i)
                        + " needs a finite value, got " + value);
            }
            observed[i] = value;
        }
        if (values.size() != observed.length) {
            throw new IllegalArgumentException("experiment " + experiment.name() + " knows only the continuous metrics "
                    + means + ", got " + values.keySet());
        }
        // Units first: a concurrent report reads hits and sums before units, so it never sees more hits than units.
        counts.units.increment();
        for (int i = 0; i < rates.size(); i++) {
            if (hits.contains(rates.get(i))) {
                counts.hits[i].increment();
            }
        }
        for (int i = 0; i < observed.length; i++) {
            counts.sums[i].add(observed[i]);
            counts.squares[i].add(observed[i] * observed[i]);
        }
    }

    /** Every arm's counts so far, in the experiment's order. */
    public List<ArmSummary> summaries() {
        List<ArmSummary> summaries = new ArrayList<>(arms.size());
        arms.forEach((arm, counts) -> summaries.add(counts.summary(arm, rates, means)));
        return summaries;
    }

    /** The counts and, for each treatment arm, a z-test per rate and a Welch t-test per mean against the control. */
    public ExperimentReport report() {
        List<ArmSummary> summaries = summaries();
        ArmSummary control = summaries.get(0);
        List<ExperimentReport.Comparison> comparisons = new ArrayList<>();
        for (ArmSummary treatment : summaries.subList(1, summaries.size())) {
            Map<String, ProportionTest> rateTests = new LinkedHashMap<>();
            for (String rate : rates) {
                rateTests.put(rate, SignificanceTests.twoProportionZTest(control.hits().get(rate), control.units(),
                        treatment.hits().get(rate), treatment.units()));
            }
            Map<String, MeanTest> meanTests = new LinkedHashMap<>();
            for (String mean : means) {
                meanTests.put(mean, SignificanceTests.welchTTest(control.values().get(mean), treatment.values().get(mean)));
            }
            comparisons.add(new ExperimentReport.Comparison(treatment.arm(), control.arm(), rateTests, meanTests));
        }
        return new ExperimentReport(experiment.name(), summaries, comparisons);
    }

    private static void requireUnique(Set<String> names, String metric) {
        if (!names.add(metric)) {
            throw new IllegalArgumentException("metric " + metric + " declared twice");
        }
    }

    private static final class ArmCounts {

        final LongAdder units = new LongAdder();
        final LongAdder[] hits;
        final DoubleAdder[] sums;
        final DoubleAdder[] squares;

        ArmCounts(int rates, int means) {
            hits = new LongAdder[rates];
            for (int i = 0; i < rates; i++) {
                hits[i] = new LongAdder();
            }
            sums = new DoubleAdder[means];
            squares = new DoubleAdder[means];
            for (int i = 0; i < means; i++) {
                sums[i] = new DoubleAdder();
                squares[i] = new DoubleAdder();
            }
        }

        ArmSummary summary(String arm, List<String> rates, List<String> means) {
            Map<String, Long> hitCounts = new LinkedHashMap<>();
            for (int i = 0; i < rates.size(); i++) {
                hitCounts.put(rates.get(i), hits[i].sum());
            }
            Map<String, Moments> moments = new LinkedHashMap<>();
            double[] sum = new double[means.size()];
            double[] square = new double[means.size()];
            for (int i = 0; i < means.size(); i++) {
                sum[i] = sums[i].sum();
                square[i] = squares[i].sum();
            }
            long n = units.sum();
            for (int i = 0; i < means.size(); i++) {
                moments.put(means.get(i), new Moments(n, sum[i], square[i]));
            }
            return new ArmSummary(arm, n, hitCounts, moments);
        }
    }
}
