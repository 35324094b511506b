package dev.mlplatform.recsys.serving;

import dev.mlplatform.recsys.model.ItemNeighbours;
import dev.mlplatform.recsys.retrieval.TwoTowerRetrieval;

/**
 * The registered models a request is served with, read once per request so that the whole list comes from one
 * version of each: the item-item model behind the recent source and the two-tower model behind the embedding one.
 */
public record ServingModels(ServedModel<ItemNeighbours> neighbours, ServedModel<TwoTowerRetrieval> retrieval) {

    public static final ServingModels NONE = new ServingModels(ServedModel.none(), ServedModel.none());
}
