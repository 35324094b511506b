package dev.mlplatform.bench;

import dev.mlplatform.recsys.model.ItemVectors;
import dev.mlplatform.recsys.retrieval.ClusteredVectors;
import dev.mlplatform.recsys.retrieval.ExactItemSearch;
import dev.mlplatform.recsys.retrieval.HnswItemIndex;
import dev.mlplatform.recsys.retrieval.ItemSearch;
import dev.mlplatform.recsys.retrieval.ScoredItem;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Approximate against exact nearest-neighbour retrieval over item vectors: the HNSW index's build time, memory
 * and recall@k, and the queries per second of both, on one thread and on all cores. The vectors are synthetic
 * clusters ({@link ClusteredVectors}) with queries drawn around the same centres, or a real {@link ItemVectors}
 * artifact whose own vectors, picked at random, are the queries ("more like this item").
 */
public final class AnnBench {

    /**
     * What to run.
     *
     * @param vectors an item-vectors artifact, or null for synthetic vectors of {@code items} × {@code dimension}
     * @param threads the threads of the multi-threaded measurement
     */
    public record Config(int items, int dimension, int queries, int k, long seed, HnswItemIndex.Settings settings,
                         Path vectors, int threads) {
    }

    /**
     * What was measured.
     *
     * @param recall          the share of the exact top k that the index found, averaged over the queries
     * @param indexBytes      the index in memory: vectors, graph, ids
     * @param rawVectorBytes  the vectors alone, for comparison
     */
    public record Result(int items, int dimension, int queries, int k, double buildSeconds, long indexBytes,
                         long rawVectorBytes, double recall, Throughput hnsw, Throughput exact, int threads) {
    }

    /** Queries per second, on one thread and on {@link Config#threads()}. */
    public record Throughput(double singleThread, double allThreads) {
    }

    private final Config config;
    private final PrintStream progress;

    public AnnBench(Config config, PrintStream progress) {
        this.config = config;
        this.progress = progress;
    }

    public Result run() throws IOException, InterruptedException {
        ItemVectors items;
        List<float[]> queries;
        if (config.vectors() != null) {
            try (InputStream in = Files.newInputStream(config.vectors())) {
                items = ItemVectors.read(in);
            }
            Random random = new Random(config.seed());
            queries = new ArrayList<>(config.queries());
            for (int q = 0; q < config.queries(); q++) {
                queries.add(items.vector(random.nextInt(items.size())));
            }
            progress.printf("ANN bench: %,d item vectors of %d dimensions from %s, %,d of them as queries, k = %d%n",
                    items.size(), items.dimension(), config.vectors(), config.queries(), config.k());
        } else {
            ClusteredVectors space = ClusteredVectors.forItems(config.items(), config.dimension(), config.seed());
            items = space.sample(config.items(), "item-", config.seed() + 1);
            ItemVectors sampled = space.sample(config.queries(), "query-", config.seed() + 2);
            queries = new ArrayList<>(config.queries());
            for (int q = 0; q < sampled.size(); q++) {
                queries.add(sampled.vector(q));
            }
            progress.printf("ANN bench: %,d synthetic item vectors of %d dimensions (seed %d), %,d queries, k = %d%n",
                    items.size(), items.dimension(), config.seed(), config.queries(), config.k());
        }

        HnswItemIndex.Settings settings = config.settings();
        progress.printf("  building HNSW (M %d, beam width %d) ...%n", settings.maxConnections(), settings.beamWidth());
        try (HnswItemIndex index = HnswItemIndex.build(items, settings)) {
            long rawBytes = (long) items.size() * items.dimension() * Float.BYTES;
            progress.printf("  built in %.1f s: %,.1f MB in memory (the vectors alone %,.1f MB)%n", index.buildSeconds(),
                    index.indexBytes() / 1e6, rawBytes / 1e6);
            ExactItemSearch exact = new ExactItemSearch(items);

            List<List<ScoredItem>> truth = new ArrayList<>();
            double exactSingle = timeSequential(exact, queries, truth);
            List<List<ScoredItem>> approximate = new ArrayList<>();
            double hnswSingle = timeSequential(index, queries, approximate);
            double exactAll = timeConcurrent(exact, queries);
            double hnswAll = timeConcurrent(index, queries);
            double recall = recall(truth, approximate);

            progress.printf("  recall@%d    %.4f (search breadth %d)%n", config.k(), recall, settings.searchBreadth());
            progress.printf("  queries/s   HNSW %,.0f, exact %,.0f on 1 thread (%.1f×); HNSW %,.0f, exact %,.0f on %d threads%n",
                    hnswSingle, exactSingle, hnswSingle / exactSingle, hnswAll, exactAll, config.threads());
            return new Result(items.size(), items.dimension(), queries.size(), config.k(), index.buildSeconds(),
                    index.indexBytes(), rawBytes, recall, new Throughput(hnswSingle, hnswAll),
                    new Throughput(exactSingle, exactAll), config.threads());
        }
    }

    /**
     * Queries per second on this thread, after one untimed pass over the queries so that the JIT has compiled the
     * search before it is timed; the results, in query order, go to {@code results}.
     */
    private double timeSequential(ItemSearch search, List<float[]> queries, List<List<ScoredItem>> results) {
        for (float[] query : queries) {
            search.search(query, config.k(), Set.of());
        }
        long started = System.nanoTime();
        for (float[] query : queries) {
            results.add(search.search(query, config.k(), Set.of()));
        }
        return queries.size() / ((System.nanoTime() - started) / 1e9);
    }

    /** Queries per second with every thread of the pool taking every n-th query. */
    private double timeConcurrent(ItemSearch search, List<float[]> queries) throws InterruptedException {
        int threads = config.threads();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new ArrayList<>(threads);
            long started = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int first = t;
                running.add(pool.submit(() -> {
                    for (int q = first; q < queries.size(); q += threads) {
                        search.search(queries.get(q), config.k(), Set.of());
                    }
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
            return queries.size() / ((System.nanoTime() - started) / 1e9);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a search failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private double recall(List<List<ScoredItem>> truth, List<List<ScoredItem>> approximate) {
        double sum = 0;
        for (int q = 0; q < truth.size(); q++) {
            Set<String> exact = new HashSet<>();
            truth.get(q).forEach(hit -> exact.add(hit.itemId()));
            long found = approximate.get(q).stream().filter(hit -> exact.contains(hit.itemId())).count();
            sum += (double) found / Math.max(1, truth.get(q).size());
        }
        return sum / truth.size();
    }
}
