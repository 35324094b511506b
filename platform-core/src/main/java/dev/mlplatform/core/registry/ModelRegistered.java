package dev.mlplatform.core.registry;

import java.time.Instant;

/** A new version of a model was registered (in stage {@link ModelStage#REGISTERED}). */
public record ModelRegistered(String modelName, int version, ModelFormat format, String artifactSha256,
                              Instant occurredAt) implements ModelLifecycleEvent {
}
