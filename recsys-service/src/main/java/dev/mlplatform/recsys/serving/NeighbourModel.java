package dev.mlplatform.recsys.serving;

import dev.mlplatform.recsys.model.ItemNeighbours;

/**
 * The item-item model serving the real-time adjustment, with the registry version it came from.
 *
 * @param version name:version in the model registry
 */
public record NeighbourModel(String version, ItemNeighbours neighbours) {

    /** Before any model is registered: no neighbours, so the recent source stays empty. */
    public static final NeighbourModel NONE = new NeighbourModel(null, new ItemNeighbours(java.util.Map.of()));
}
