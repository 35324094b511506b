package dev.mlplatform.core.experiment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment's standing: every arm's counts, and every treatment arm compared with the control.
 *
 * @param experiment  its name
 * @param arms        per arm, in the experiment's order (the control first)
 * @param comparisons per treatment arm, its tests against the control
 */
public record ExperimentReport(String experiment, List<ArmSummary> arms, List<Comparison> comparisons) {

    public ExperimentReport {
        arms = List.copyOf(arms);
        comparisons = List.copyOf(comparisons);
    }

    /**
     * One treatment arm against the control.
     *
     * @param arm     the treatment arm
     * @param control the control arm
     * @param rates   per rate metric, the two-proportion z-test
     * @param means   per continuous metric, Welch's t-test
     */
    public record Comparison(String arm, String control, Map<String, ProportionTest> rates,
                             Map<String, MeanTest> means) {

        public Comparison {
            rates = Collections.unmodifiableMap(new LinkedHashMap<>(rates));
            means = Collections.unmodifiableMap(new LinkedHashMap<>(means));
        }
    }
}
