package dev.mlplatform.fraud.scoring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per feature, the value above which it counts as unusual: the 99th percentile among legitimate
 * transactions of the model's training data. A decision's reasons name the features that exceed
 * theirs by the widest margin ({@code high_<feature>}), the strongest first.
 *
 * @param thresholds feature name to threshold; feature positions follow {@code names}
 * @param names      the model's feature names in input order
 */
public record SignalThresholds(Map<String, Double> thresholds, List<String> names) {

    public static final SignalThresholds NONE = new SignalThresholds(Map.of(), List.of());

    public SignalThresholds {
        thresholds = Map.copyOf(thresholds);
        names = List.copyOf(names);
    }

    /** At most {@code max} signals of {@code vector}, strongest (largest value / threshold) first. */
    public List<String> signals(float[] vector, int max) {
        record Exceeded(String name, double ratio) {
        }
        List<Exceeded> exceeded = new ArrayList<>();
        for (int i = 0; i < names.size() && i < vector.length; i++) {
            Double threshold = thresholds.get(names.get(i));
            if (threshold != null && threshold > 0 && vector[i] > threshold) {
                exceeded.add(new Exceeded(names.get(i), vector[i] / threshold));
            }
        }
        return exceeded.stream()
                .sorted(Comparator.comparingDouble(Exceeded::ratio).reversed().thenComparing(Exceeded::name))
                .limit(max)
                .map(e -> "high_" + e.name())
                .toList();
    }

    /** As text for a registry's lineage parameters: {@code signal.<feature>} to value. */
    public Map<String, String> toParams() {
        Map<String, String> params = new LinkedHashMap<>();
        thresholds.forEach((name, value) -> params.put("signal." + name, Double.toString(value)));
        return params;
    }

    /** Reads what {@link #toParams()} wrote. */
    public static SignalThresholds fromParams(Map<String, String> params, List<String> names) {
        Map<String, Double> thresholds = new LinkedHashMap<>();
        params.forEach((key, value) -> {
            if (key.startsWith("signal.")) {
                thresholds.put(key.substring("signal.".length()), Double.parseDouble(value));
            }
        });
        return new SignalThresholds(thresholds, names);
    }
}
