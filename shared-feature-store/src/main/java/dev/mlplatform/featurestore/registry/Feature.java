package dev.mlplatform.featurestore.registry;

/** One typed feature of a view. */
public record Feature(String name, ValueType type, String description) {
}
