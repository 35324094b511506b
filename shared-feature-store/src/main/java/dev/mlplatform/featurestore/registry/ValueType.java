package dev.mlplatform.featurestore.registry;

/** The type of one feature value. Numbers are stored as {@code long} or {@code double}. */
public enum ValueType {
    LONG, DOUBLE, STRING, BOOLEAN
}
