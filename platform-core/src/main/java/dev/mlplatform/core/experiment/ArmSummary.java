package dev.mlplatform.core.experiment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one arm has seen so far.
 *
 * @param arm    the arm's name
 * @param units  units observed (transactions, sessions): the trials of every rate and the count of every mean
 * @param hits   per rate metric, the units it happened to
 * @param values per continuous metric, its running sums
 */
public record ArmSummary(String arm, long units, Map<String, Long> hits, Map<String, Moments> values) {

    public ArmSummary {
        hits = Collections.unmodifiableMap(new LinkedHashMap<>(hits));
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** hits / units of a rate metric; NaN before the first unit. */
    public double rate(String metric) {
        return units == 0 ? Double.NaN : (double) hits.get(metric) / units;
    }
}
