package dev.mlplatform.core.registry;

import java.util.Objects;

/** One feature view, at one version, that a model was trained on. */
public record FeatureViewRef(String name, int version) {

    public FeatureViewRef {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("feature view name is blank");
        }
        if (version < 1) {
            throw new IllegalArgumentException("feature view version must be at least 1, was " + version);
        }
    }
}
