package dev.mlplatform.recsys.retrieval;

import dev.mlplatform.recsys.model.ItemVectors;
import dev.mlplatform.recsys.model.TwoTowerModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.util.VectorUtil;

/**
 * Retrieval from the whole catalogue by a {@link TwoTowerModel}: a history becomes a query through the user tower,
 * and the HNSW index over the item tower's vectors finds the nearest items. Nothing per user is stored, so a user's
 * last few interactions change what is retrieved at once. Thread-safe, as the index is.
 */
public final class TwoTowerRetrieval {

    private final TwoTowerModel model;
    private final ItemSearch index;

    public TwoTowerRetrieval(TwoTowerModel model, ItemSearch index) {
        this.model = model;
        this.index = index;
    }

    /** Builds the HNSW index over the model's item vectors (about a minute per core for 100,000 of 64 dimensions). */
    public static TwoTowerRetrieval indexed(TwoTowerModel model, HnswItemIndex.Settings settings) {
        return new TwoTowerRetrieval(model, HnswItemIndex.build(model.items(), settings));
    }

    public int items() {
        return model.items().size();
    }

    /**
     * The {@code n} items nearest to the user of {@code history}, best first, none in {@code excluded}; empty when
     * no item of the history has a vector (it came after the model was trained).
     */
    public List<Match> retrieve(List<String> history, int n, Set<String> excluded) {
        if (!model.knowsAnyOf(history)) {
            return List.of();
        }
        ItemVectors items = model.items();
        List<ScoredItem> found = index.search(model.userVector(history), n, excluded);
        List<Match> matches = new ArrayList<>(found.size());
        for (ScoredItem item : found) {
            matches.add(new Match(item.itemId(), item.score(), closest(items, history, item.itemId())));
        }
        return matches;
    }

    /** The history item whose vector is nearest the found one: what the match is explained by. */
    private static String closest(ItemVectors items, List<String> history, String found) {
        float[] vector = items.vector(items.indexOf(found));
        String closest = null;
        double best = Double.NEGATIVE_INFINITY;
        for (String itemId : history) {
            int index = items.indexOf(itemId);
            if (index < 0) {
                continue;
            }
            float dot = VectorUtil.dotProduct(vector, items.vector(index));
            if (dot > best) {
                best = dot;
                closest = itemId;
            }
        }
        return closest;
    }

    /**
     * @param score            the inner product of the user's vector with the item's
     * @param closestInHistory the item of the history most like this one
     */
    public record Match(String itemId, float score, String closestInHistory) {
    }
}
