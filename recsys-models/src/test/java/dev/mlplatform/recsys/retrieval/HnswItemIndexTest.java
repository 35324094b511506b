package dev.mlplatform.recsys.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.mlplatform.recsys.model.ItemVectors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HnswItemIndexTest {

    private static final int K = 10;
    private static ItemVectors items;
    private static ItemVectors queries;
    private static HnswItemIndex index;

    @BeforeAll
    static void buildIndexOverTwentyThousandItems() {
        ClusteredVectors space = ClusteredVectors.forItems(20_000, 32, 7);
        items = space.sample(20_000, "item-", 8);
        queries = space.sample(200, "query-", 9);
        index = HnswItemIndex.build(items, HnswItemIndex.Settings.defaults());
    }

    @AfterAll
    static void close() throws Exception {
        index.close();
    }

    @Test
    void findsAtLeastNinetyFivePercentOfTheExactTopTenAtDefaultSettings() {
        ExactItemSearch exact = new ExactItemSearch(items);
        double recall = 0;
        for (int q = 0; q < queries.size(); q++) {
            Set<String> truth = ids(exact.search(queries.vector(q), K, Set.of()));
            List<ScoredItem> found = index.search(queries.vector(q), K, Set.of());
            assertThat(found).hasSize(K);
            recall += found.stream().filter(hit -> truth.contains(hit.itemId())).count() / (double) K;
        }
        recall /= queries.size();
        assertThat(recall).isGreaterThanOrEqualTo(0.95);
    }

    /**
     * 50: dropped from a wider search's results; 300: past {@code POST_FILTER_MAX}, filtered inside Lucene, where
     * taking out the densest part of the graph around the query costs some recall.
     */
    @ParameterizedTest
    @CsvSource({"50, 0.9", "300, 0.85"})
    void neverReturnsAnExcludedItemAndFindsTheNextBestInstead(int excludedCount, double leastRecall) {
        ExactItemSearch exact = new ExactItemSearch(items);
        double recall = 0;
        int searched = 50;
        for (int q = 0; q < searched; q++) {
            float[] query = queries.vector(q);
            // What a user already has lies nearest to the user's vector: exclude each query's nearest items.
            Set<String> nearest = ids(exact.search(query, excludedCount, Set.of()));

            List<ScoredItem> found = index.search(query, K, nearest);

            assertThat(found).hasSize(K).noneMatch(hit -> nearest.contains(hit.itemId()));
            Set<String> truth = ids(exact.search(query, K, nearest));
            recall += found.stream().filter(hit -> truth.contains(hit.itemId())).count() / (double) K;
        }
        assertThat(recall / searched).isGreaterThanOrEqualTo(leastRecall);
    }

    @Test
    void scoresAreExactInnerProductsBestFirst() {
        float[] query = queries.vector(1);
        List<ScoredItem> found = index.search(query, K, Set.of());
        for (int i = 0; i < found.size(); i++) {
            float[] vector = items.vector(items.indexOf(found.get(i).itemId()));
            double dot = 0;
            for (int d = 0; d < vector.length; d++) {
                dot += query[d] * vector[d];
            }
            assertThat((double) found.get(i).score()).isCloseTo(dot, offset(1e-3));
            if (i > 0) {
                assertThat(found.get(i).score()).isLessThanOrEqualTo(found.get(i - 1).score());
            }
        }
    }

    @Test
    void concurrentSearchesReturnWhatSequentialOnesDo() throws Exception {
        List<List<ScoredItem>> sequential = new ArrayList<>();
        for (int q = 0; q < queries.size(); q++) {
            sequential.add(index.search(queries.vector(q), K, Set.of(items.itemId(q))));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<ScoredItem>>> concurrent = new ArrayList<>();
            for (int q = 0; q < queries.size(); q++) {
                int query = q;
                concurrent.add(pool.submit(() -> index.search(queries.vector(query), K, Set.of(items.itemId(query)))));
            }
            for (int q = 0; q < queries.size(); q++) {
                assertThat(concurrent.get(q).get()).isEqualTo(sequential.get(q));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reportsItsSizeAboveTheRawVectors() {
        long rawVectorBytes = (long) items.size() * items.dimension() * Float.BYTES;
        assertThat(index.indexBytes()).isGreaterThan(rawVectorBytes);
        assertThat(index.buildSeconds()).isPositive();
    }

    private static Set<String> ids(List<ScoredItem> found) {
        return found.stream().map(ScoredItem::itemId).collect(Collectors.toCollection(HashSet::new));
    }
}
