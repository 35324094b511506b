package dev.mlplatform.core.registry;

import java.time.Instant;

/** Something that happened to a model in the registry, published after its transaction committed. */
public sealed interface ModelLifecycleEvent
        permits ModelRegistered, ModelPromoted, ModelRolledBack, ModelStageChanged {

    String modelName();

    Instant occurredAt();
}
