package dev.mlplatform.featurestore.registry;

import java.io.Serializable;

/** What features describe (a card, a customer, a merchant, a user, an item), named by its join key. */
public record Entity(String name, String joinKey, String description) implements Serializable {
}
