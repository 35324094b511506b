package dev.mlplatform.jobs.recsys;

import dev.mlplatform.core.events.CatalogueItem;

/**
 * What the job needs of a catalogue item: the category it counts under ({@link CatalogueItem#category()}). Also
 * keeps the item's lists out of Flink's serializers, which would hand their immutable copies to Kryo.
 */
public record ItemCategory(String itemId, String category) {

    static ItemCategory of(CatalogueItem item) {
        return new ItemCategory(item.itemId(), item.category());
    }
}
