package dev.mlplatform.recsys.retrieval;

import dev.mlplatform.recsys.model.ItemVectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;

/**
 * Approximate top-k by inner product: Lucene's HNSW graph (Malkov and Yashunin, 2016) over item vectors, held
 * in memory. Each item is one document with its vector ({@code MAXIMUM_INNER_PRODUCT}, which, unlike
 * {@code DOT_PRODUCT}, does not need unit-length vectors), its id (to exclude items a user already has) and its
 * index in the {@link ItemVectors}. Searches are thread-safe: the reader and searcher are immutable.
 *
 * <p>Lucene's search returns the best {@code max(k, searchBreadth)} candidates it met in the graph; those are
 * rescored with the exact inner product and the best {@code k} kept, so a larger breadth trades speed for recall
 * as HNSW's {@code efSearch} does.
 */
public final class HnswItemIndex implements ItemSearch, AutoCloseable {

    private static final String VECTOR = "vector";
    private static final String ID = "id";
    private static final String INDEX = "index";
    /** Up to this many excluded items are dropped from a larger search's results rather than filtered by Lucene. */
    static final int POST_FILTER_MAX = 200;

    /**
     * @param maxConnections HNSW's M: neighbours per node (Lucene's default 16); more is better recall, more memory
     * @param beamWidth      candidates considered while linking a new node (Lucene's default 100); more is a
     *                       better graph, a slower build
     * @param searchBreadth  candidates gathered per search before the best k are kept (like efSearch)
     */
    public record Settings(int maxConnections, int beamWidth, int searchBreadth) {

        public Settings {
            if (maxConnections < 1 || beamWidth < 1 || searchBreadth < 1) {
                throw new IllegalArgumentException("M, beam width and search breadth must be positive, got "
                        + maxConnections + ", " + beamWidth + ", " + searchBreadth);
            }
        }

        public static Settings defaults() {
            return new Settings(Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN, Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH, 100);
        }
    }

    private final ItemVectors items;
    private final Settings settings;
    private final ByteBuffersDirectory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    /** The item index of each Lucene document, by global document id. */
    private final int[] itemOfDocument;
    private final double buildSeconds;

    private HnswItemIndex(ItemVectors items, Settings settings, ByteBuffersDirectory directory, double buildSeconds)
            throws IOException {
        this.items = items;
        this.settings = settings;
        this.directory = directory;
        this.reader = DirectoryReader.open(directory);
        this.searcher = new IndexSearcher(reader);
        // Exclusion filters differ per user: caching them would fill memory with bit sets used once.
        this.searcher.setQueryCache(null);
        this.itemOfDocument = new int[reader.maxDoc()];
        for (LeafReaderContext leaf : reader.leaves()) {
            NumericDocValues index = leaf.reader().getNumericDocValues(INDEX);
            for (int doc = index.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = index.nextDoc()) {
                itemOfDocument[leaf.docBase + doc] = Math.toIntExact(index.longValue());
            }
        }
        this.buildSeconds = buildSeconds;
    }

    /** Builds the graph over all items (single-threaded, as Lucene indexes one segment). */
    public static HnswItemIndex build(ItemVectors items, Settings settings) {
        if (items.size() == 0) {
            throw new IllegalArgumentException("no item vectors to index");
        }
        long started = System.nanoTime();
        ByteBuffersDirectory directory = new ByteBuffersDirectory();
        Lucene99HnswVectorsFormat format = new Lucene99HnswVectorsFormat(settings.maxConnections(), settings.beamWidth());
        IndexWriterConfig config = new IndexWriterConfig()
                .setCodec(new Lucene912Codec() {
                    @Override
                    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                        return format;
                    }
                })
                // One segment, so one graph: a flush part-way would leave several graphs, each searched per query.
                .setMaxBufferedDocs(Math.max(2, items.size() + 1))
                .setRAMBufferSizeMB(IndexWriterConfig.DISABLE_AUTO_FLUSH);
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            for (int i = 0; i < items.size(); i++) {
                Document document = new Document();
                document.add(new KnnFloatVectorField(VECTOR, items.vector(i), VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT));
                document.add(new StringField(ID, items.itemId(i), Field.Store.NO));
                document.add(new NumericDocValuesField(INDEX, i));
                writer.addDocument(document);
            }
            // A no-op unless the per-thread memory limit (about 1.9 GB) forced an early flush.
            writer.forceMerge(1);
            writer.commit();
            return new HnswItemIndex(items, settings, directory, (System.nanoTime() - started) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the HNSW index in memory", e);
        }
    }

    @Override
    public List<ScoredItem> search(float[] query, int k, Set<String> excluded) {
        ItemSearch.checkQuery(query, k, items.dimension());
        // A few exclusions (a user's latest items) are cheaper dropped afterwards, from a search that gathers that
        // many more: a Lucene filter costs a pass over every document per query. Many are left to Lucene, which
        // applies the filter inside the graph walk and falls back to an exact scan when it leaves few items.
        boolean postFilter = excluded.size() <= POST_FILTER_MAX;
        int wanted = postFilter ? k + excluded.size() : k;
        int candidates = Math.max(wanted, settings.searchBreadth());
        Query filter = excluded.isEmpty() || postFilter ? null : new BooleanQuery.Builder()
                .add(new MatchAllDocsQuery(), Occur.FILTER)
                .add(new TermInSetQuery(ID, excluded.stream().map(BytesRef::new).toList()), Occur.MUST_NOT)
                .build();
        TopDocs found;
        try {
            found = searcher.search(new KnnFloatVectorQuery(VECTOR, query, candidates, filter), candidates);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search the in-memory HNSW index", e);
        }
        List<ScoredItem> scored = new ArrayList<>(found.scoreDocs.length);
        for (ScoreDoc hit : found.scoreDocs) {
            int item = itemOfDocument[hit.doc];
            if (!postFilter || !excluded.contains(items.itemId(item))) {
                scored.add(new ScoredItem(items.itemId(item), VectorUtil.dotProduct(query, items.vector(item))));
            }
        }
        scored.sort(Comparator.comparingDouble(ScoredItem::score).reversed());
        return List.copyOf(scored.subList(0, Math.min(k, scored.size())));
    }

    /** Seconds the build took: the graph, the id terms and opening the reader. */
    public double buildSeconds() {
        return buildSeconds;
    }

    /** Bytes the index holds in memory: the vectors, the graph, the id terms and the item indices. */
    public long indexBytes() {
        long bytes = 0;
        try {
            for (String file : directory.listAll()) {
                bytes += directory.fileLength(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the in-memory index", e);
        }
        return bytes;
    }

    @Override
    public void close() throws IOException {
        reader.close();
        directory.close();
    }
}
