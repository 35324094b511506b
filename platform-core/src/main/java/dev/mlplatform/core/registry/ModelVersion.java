package dev.mlplatform.core.registry;

import java.time.Instant;
import java.util.Map;

/**
 * One registered version of a model, as the registry holds it.
 *
 * @param name           the model's name
 * @param version        1, 2, … per name, in registration order
 * @param format         how the artifact is read
 * @param artifactSha256 the artifact's content digest in the {@link ArtifactStore}
 * @param artifactSize   the artifact's size in bytes
 * @param metrics        evaluation results recorded at registration
 * @param lineage        what the model was made from
 * @param stage          where it stands now
 * @param registeredAt   when it was registered
 * @param stageChangedAt when it entered its current stage
 */
public record ModelVersion(
        String name,
        int version,
        ModelFormat format,
        String artifactSha256,
        long artifactSize,
        Map<String, Double> metrics,
        Lineage lineage,
        ModelStage stage,
        Instant registeredAt,
        Instant stageChangedAt) {

    public ModelVersion {
        metrics = Map.copyOf(metrics);
    }

    /** {@code name:version}, the label a served model carries in responses and metrics. */
    public String reference() {
        return name + ":" + version;
    }
}
