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

    /** What every search requires of its arguments: at least one item asked for, a query of the vectors' size. */
    static void checkQuery(float[] query, int k, int dimension) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (query.length != dimension) {
            throw new IllegalArgumentException("a query of " + query.length + " dimensions for vectors of " + dimension);
        }
    }
}
