package dev.mlplatform.core.monitoring;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a model's inputs and score looked like on held-out data when it was trained: the reference
 * a {@link DriftMonitor} compares live traffic with. It travels with the model version, as JSON in
 * the version's lineage parameters under {@value #LINEAGE_PARAM} (a few kilobytes), so that
 * whichever process serves the version monitors it against the same reference.
 *
 * @param features per feature name, in monitoring order, its binned distribution
 */
public record DriftReference(Map<String, BinnedDistribution> features) {

    /** The lineage parameter that holds the reference as JSON. */
    public static final String LINEAGE_PARAM = "drift_reference";
    /** Deciles: enough resolution for PSI, few enough that each bin holds 10 % of a window. */
    public static final int DEFAULT_BINS = 10;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public DriftReference {
        if (features.isEmpty()) {
            throw new IllegalArgumentException("a drift reference needs at least one feature");
        }
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }

    /** Quantile bins of each sample (see {@link BinnedDistribution#fit}), in the map's iteration order. */
    public static DriftReference fit(Map<String, double[]> samples, int bins) {
        Map<String, BinnedDistribution> features = new LinkedHashMap<>();
        samples.forEach((name, sample) -> features.put(name, BinnedDistribution.fit(sample, bins)));
        return new DriftReference(features);
    }

    public String toJson() {
        return JSON.writeValueAsString(this);
    }

    /**
     * @throws tools.jackson.core.JacksonException when {@code json} is not a valid reference
     */
    public static DriftReference fromJson(String json) {
        return JSON.readValue(json, DriftReference.class);
    }

    /** The reference stored in a model version's lineage parameters; empty for versions registered without one. */
    public static Optional<DriftReference> fromLineageParams(Map<String, String> params) {
        return Optional.ofNullable(params.get(LINEAGE_PARAM)).map(DriftReference::fromJson);
    }
}
