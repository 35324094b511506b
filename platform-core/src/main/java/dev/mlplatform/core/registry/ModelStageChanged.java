package dev.mlplatform.core.registry;

import java.time.Instant;

/** A version moved between stages other than into production (shadow, canary, archived, …). */
public record ModelStageChanged(String modelName, int version, ModelStage fromStage, ModelStage toStage,
                                Instant occurredAt) implements ModelLifecycleEvent {
}
