package dev.mlplatform.recsys.retrieval;

import dev.mlplatform.recsys.model.ItemVectors;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.util.VectorUtil;

/**
 * Brute-force top-k: the inner product with every item. The ground truth that approximate search is measured
 * against, and the right choice for small catalogues (a few thousand items take well under a millisecond).
 */
public final class ExactItemSearch implements ItemSearch {

    private final ItemVectors items;

    public ExactItemSearch(ItemVectors items) {
        this.items = items;
    }

    @Override
    public List<ScoredItem> search(float[] query, int k, Set<String> excluded) {
        ItemSearch.checkQuery(query, k, items.dimension());
        BitSet skip = new BitSet(items.size());
        for (String itemId : excluded) {
            int index = items.indexOf(itemId);
            if (index >= 0) {
                skip.set(index);
            }
        }
        // The k best so far, best first; a new item enters only above the worst of them (ties keep the lower index).
        int[] top = new int[k];
        float[] best = new float[k];
        int size = 0;
        for (int item = 0; item < items.size(); item++) {
            if (skip.get(item)) {
                continue;
            }
            // Lucene's dot product: the same kernel the HNSW index scores with.
            float score = VectorUtil.dotProduct(query, items.vector(item));
            if (size == k && score <= best[k - 1]) {
                continue;
            }
            int at = size == k ? k - 1 : size++;
            while (at > 0 && best[at - 1] < score) {
                best[at] = best[at - 1];
                top[at] = top[at - 1];
                at--;
            }
            best[at] = score;
            top[at] = item;
        }
        List<ScoredItem> found = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            found.add(new ScoredItem(items.itemId(top[i]), best[i]));
        }
        return found;
    }
}
