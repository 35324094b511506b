package dev.mlplatform.recsys.serving;

import dev.mlplatform.recsys.model.ItemNeighbours;
import dev.mlplatform.recsys.ranking.BlendWeights;
import dev.mlplatform.recsys.retrieval.TwoTowerRetrieval;

/**
 * The registered models a request is served with, read once per request so that the whole list comes from one
 * version of each: the item-item model behind the recent source, the two-tower model behind the embedding one, and
 * the learnt ranker's weights (none when the user's policy keeps its own).
 */
public record ServingModels(ServedModel<ItemNeighbours> neighbours, ServedModel<TwoTowerRetrieval> retrieval,
                            ServedModel<BlendWeights> ranker) {

    public static final ServingModels NONE = new ServingModels(ServedModel.none(), ServedModel.none(),
            ServedModel.none());
}
