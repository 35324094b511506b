package dev.mlplatform.recsys.retrieval;

/** An item found for a query vector, with its inner product with the query (higher is nearer). */
public record ScoredItem(String itemId, float score) {
}
