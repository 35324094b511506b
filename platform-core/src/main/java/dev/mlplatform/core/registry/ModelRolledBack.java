package dev.mlplatform.core.registry;

import java.time.Instant;

/** Production went back from {@code fromVersion} (now archived) to the version it had replaced. */
public record ModelRolledBack(String modelName, int fromVersion, int toVersion, Instant occurredAt)
        implements ModelLifecycleEvent {
}
