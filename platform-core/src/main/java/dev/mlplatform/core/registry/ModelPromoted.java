package dev.mlplatform.core.registry;

import java.time.Instant;
import java.util.OptionalInt;

/**
 * A version entered production; the version it replaced, if any, was archived in the same
 * transaction.
 */
public record ModelPromoted(String modelName, int version, OptionalInt replacedVersion, Instant occurredAt)
        implements ModelLifecycleEvent {
}
