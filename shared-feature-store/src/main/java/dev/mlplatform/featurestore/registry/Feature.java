package dev.mlplatform.featurestore.registry;

import java.io.Serializable;

/** One typed feature of a view. */
public record Feature(String name, ValueType type, String description) implements Serializable {
}
