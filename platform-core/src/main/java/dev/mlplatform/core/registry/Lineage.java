package dev.mlplatform.core.registry;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a model version was made from, so that it can be reproduced and audited.
 *
 * @param trainingDataId     names the training data (a file, a simulator run, a training-set query)
 * @param trainingDataSha256 content hash of the training data when known, else {@code null}
 * @param featureViews       the feature views, with versions, the model reads
 * @param codeVersion        the code that trained it (a git commit when known), else {@code null}
 * @param params             training parameters, as text
 */
public record Lineage(
        String trainingDataId,
        String trainingDataSha256,
        List<FeatureViewRef> featureViews,
        String codeVersion,
        Map<String, String> params) {

    public Lineage {
        Objects.requireNonNull(trainingDataId, "trainingDataId");
        if (trainingDataId.isBlank()) {
            throw new IllegalArgumentException("trainingDataId is blank");
        }
        featureViews = List.copyOf(featureViews);
        params = Map.copyOf(params);
    }
}
