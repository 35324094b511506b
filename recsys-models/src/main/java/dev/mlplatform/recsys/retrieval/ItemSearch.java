package dev.mlplatform.recsys.retrieval;

import java.util.List;
import java.util.Set;

/** Top-k retrieval over item vectors by inner product; implementations are safe for concurrent searches. */
public interface ItemSearch {

    /**
     * The {@code k} items with the largest inner product with {@code query}, best first, none of them in
     * {@code excluded} (ids the index does not know are ignored); fewer when too few items are left.
     */
    List<ScoredItem> search(float[] query, int k, Set<String> excluded);
}
