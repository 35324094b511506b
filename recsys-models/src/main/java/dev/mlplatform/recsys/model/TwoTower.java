package dev.mlplatform.recsys.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.mlplatform.recsys.evaluation.Interactions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A two-tower retrieval model trained with DJL (PyTorch engine, CPU). The item tower is a learnt embedding per
 * item, plus the mean of learnt genre embeddings when genres are given; the user tower is the mean of the item
 * vectors of the user's history through a small residual perceptron ({@link UserTower}), so that a user is never
 * an embedding of their own and a new user's few interactions give a vector without retraining. A user's score
 * for an item is the inner product of the two vectors, what {@code HnswItemIndex} retrieves by.
 *
 * <p>Trained on the training interactions only, with in-batch sampled softmax: each (user, item) pair of a batch
 * is a positive, the batch's other items its negatives. Two corrections make the sampled softmax estimate the full
 * one (Yi et al., "Sampling-Bias-Corrected Neural Modeling for Large Corpus Item Recommendations", RecSys 2019):
 * each logit is reduced by the log of its item's sampling probability (its share of the training pairs), and an
 * item that is the positive of another row of the batch is not that row's negative. The positive item is left out
 * of the history its user's vector is built from, else the model would learn to find an item in its own input.
 *
 * <p>DJL runs offline on the natives in the {@code pytorch-native-cpu} jar, unpacked once into
 * {@code ENGINE_CACHE_DIR} (default {@code .platform/djl} under {@code platform.home}): nothing is downloaded.
 */
public final class TwoTower implements Recommender {

    /**
     * @param dimension    the length of item and user vectors
     * @param hidden       the hidden layer of the user tower
     * @param epochs       passes over the training pairs
     * @param batchSize    pairs per step; also the number of negatives each positive is contrasted with
     * @param learningRate Adam's
     * @param maxHistory   in training, a user's vector is built from 1 to this many items of their history, drawn
     *                     at random (scoring uses the whole history)
     * @param seed         initial weights and batch order; the same seed gives the same model
     */
    public record Config(int dimension, int hidden, int epochs, int batchSize, float learningRate, int maxHistory,
                         long seed) {

        public Config {
            if (dimension < 1 || hidden < 1 || epochs < 1 || batchSize < 2 || !(learningRate > 0) || maxHistory < 1) {
                throw new IllegalArgumentException("dimension, hidden, epochs, maxHistory >= 1, batchSize >= 2 and a "
                        + "positive learning rate needed, got " + this);
            }
        }

        /**
         * Chosen on ML-100k on a split of the training part alone (never the test part): 32 dimensions beat 64,
         * batches of 2,048 (more negatives) beat 512 and 1,024, 10 epochs beat 20 (which overfit), and training
         * histories of 1 to 25 random items beat 1 to 50 or 100.
         */
        public static Config defaults(long seed) {
            return new Config(32, 64, 10, 2048, 0.02f, 25, seed);
        }
    }

    private final Config config;
    private final Map<String, boolean[]> genres;
    private final PrintStream progress;
    private Interactions train;
    private ItemVectors itemVectors;
    private UserTower userTower;
    private final List<Double> epochLosses = new ArrayList<>();

    /**
     * @param genres   each item's genre flags by item id (as {@code MovieLensFiles.genres} reads them); empty for
     *                 none, and then the item tower is the item embedding alone
     * @param progress where a line per epoch goes
     */
    public TwoTower(Config config, Map<String, boolean[]> genres, PrintStream progress) {
        this.config = config;
        this.genres = genres;
        this.progress = progress;
    }

    @Override
    public String name() {
        return "two-tower";
    }

    @Override
    public void fit(Interactions train) {
        this.train = train;
        this.epochLosses.clear();
        useBundledPyTorchOffline();
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), engine.getEngineName())) {
            new Training(manager, engine).run();
        }
    }

    /** The item tower's output for every item of the training interactions, ids as there. */
    public ItemVectors itemVectors() {
        return requireFitted(itemVectors);
    }

    public UserTower userTower() {
        return requireFitted(userTower);
    }

    /** What serving needs of the fitted model: item vectors and user tower. */
    public TwoTowerModel model() {
        return new TwoTowerModel(itemVectors(), userTower());
    }

    /** The mean training loss of each epoch so far. */
    public List<Double> epochLosses() {
        return List.copyOf(epochLosses);
    }

    @Override
    public double[] scores(int user) {
        ItemVectors items = requireFitted(itemVectors);
        float[] mean = new float[items.dimension()];
        int[] history = train.itemsOf(user);
        for (int item : history) {
            UserTower.addTo(mean, items.vector(item));
        }
        UserTower.scale(mean, history.length);
        float[] vector = userTower.ofMean(mean);
        double[] scores = new double[items.size()];
        for (int item = 0; item < scores.length; item++) {
            float[] itemVector = items.vector(item);
            double dot = 0;
            for (int d = 0; d < vector.length; d++) {
                dot += vector[d] * itemVector[d];
            }
            scores[item] = dot;
        }
        return scores;
    }

    private <T> T requireFitted(T value) {
        if (value == null) {
            throw new IllegalStateException("the two-tower model is not fitted");
        }
        return value;
    }

    /**
     * Keeps DJL from reaching the network (STACK pitfall 11): offline mode, the natives from the jar, unpacked into
     * a folder that persists between runs instead of {@code ~/.djl.ai}. Settings given by the caller are kept.
     */
    static void useBundledPyTorchOffline() {
        if (System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getenv("ENGINE_CACHE_DIR") == null && System.getProperty("ENGINE_CACHE_DIR") == null) {
            Path home = Path.of(System.getProperty("platform.home", "."));
            System.setProperty("ENGINE_CACHE_DIR", home.resolve(".platform").resolve("djl").toAbsolutePath().toString());
        }
    }

    /** One training run: the parameters, the constant inputs and the loop, on one manager. */
    private final class Training {

        private final NDManager manager;
        private final Engine engine;
        private final int items;
        private final int padding;
        private final Random random;
        private final NDArray itemEmbeddings;
        private final NDArray genreEmbeddings;
        private final NDArray itemGenres;
        private final NDArray hiddenWeights;
        private final NDArray hiddenBias;
        private final NDArray outputWeights;
        private final NDArray outputBias;
        private final float[] logSamplingProbability;
        private final Map<String, NDArray> parameters = new LinkedHashMap<>();

        Training(NDManager manager, Engine engine) {
            this.manager = manager;
            this.engine = engine;
            this.items = train.items();
            this.padding = items;
            this.random = new Random(config.seed());
            int d = config.dimension();
            int h = config.hidden();
            itemEmbeddings = parameter("item", normal(new Shape(items, d), 0.1));
            float[][] flags = genreFlags();
            if (flags == null) {
                genreEmbeddings = null;
                itemGenres = null;
            } else {
                genreEmbeddings = parameter("genre", normal(new Shape(flags[0].length, d), 0.1));
                itemGenres = manager.create(flags);
            }
            hiddenWeights = parameter("hidden.weight", normal(new Shape(h, d), Math.sqrt(2.0 / (h + d))));
            hiddenBias = parameter("hidden.bias", manager.zeros(new Shape(h)));
            // Zero: the tower starts as the plain mean of the history and learns what to add to it.
            outputWeights = parameter("output.weight", manager.zeros(new Shape(d, h)));
            outputBias = parameter("output.bias", manager.zeros(new Shape(d)));
            logSamplingProbability = logSamplingProbabilities();
        }

        void run() {
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(config.learningRate())).build();
            int[][] pairs = trainingPairs();
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long started = System.nanoTime();
                shuffle(pairs);
                double lossSum = 0;
                int steps = 0;
                // A last batch of one pair would have no negatives: it waits for the next epoch's order.
                for (int from = 0; pairs.length - from >= 2; from += config.batchSize()) {
                    int[][] batch = Arrays.copyOfRange(pairs, from, Math.min(pairs.length, from + config.batchSize()));
                    lossSum += step(batch);
                    steps++;
                    for (Map.Entry<String, NDArray> parameter : parameters.entrySet()) {
                        try (NDArray gradient = parameter.getValue().getGradient()) {
                            adam.update(parameter.getKey(), parameter.getValue(), gradient);
                        }
                    }
                }
                double loss = lossSum / steps;
                epochLosses.add(loss);
                progress.printf("  two-tower epoch %d/%d: loss %.4f (%.1f s)%n", epoch, config.epochs(), loss,
                        (System.nanoTime() - started) / 1e9);
            }
            export();
        }

        /** Forward and backward on one batch of (user, item) pairs; returns the batch's mean loss. */
        private double step(int[][] batch) {
            int size = batch.length;
            int[] positives = new int[size];
            long[][] histories = new long[size][];
            float[] historyLengths = new float[size];
            int longest = 1;
            for (int row = 0; row < size; row++) {
                positives[row] = batch[row][1];
                histories[row] = sampledHistory(batch[row][0], batch[row][1]);
                historyLengths[row] = Math.max(1, histories[row].length);
                longest = Math.max(longest, histories[row].length);
            }
            long[] paddedHistories = new long[size * longest];
            Arrays.fill(paddedHistories, padding);
            long[] positiveIndices = new long[size];
            // Added to the logits: minus the log sampling probability of each column's item, and minus a billion
            // where a column's item is the row's own positive (an accidental hit, not a negative).
            float[] logitCorrections = new float[size * size];
            for (int row = 0; row < size; row++) {
                System.arraycopy(histories[row], 0, paddedHistories, row * longest, histories[row].length);
                positiveIndices[row] = positives[row];
                for (int column = 0; column < size; column++) {
                    boolean accidentalHit = column != row && positives[column] == positives[row];
                    logitCorrections[row * size + column] = accidentalHit ? -1e9f : -logSamplingProbability[positives[column]];
                }
            }
            try (NDManager batchManager = manager.newSubManager()) {
                // Operations on the parameters put their results in the parameters' manager: attach them to this
                // batch's for its duration, so that every intermediate array is freed when the batch ends.
                batchManager.tempAttachAll(parameterArrays());
                try (GradientCollector collector = engine.newGradientCollector()) {
                    NDArray vectors = itemVectors(itemEmbeddings, genreEmbeddings, itemGenres);
                    NDArray withPadding = vectors.concat(batchManager.zeros(new Shape(1, config.dimension())), 0);
                    NDArray history = Embedding.embedding(batchManager.create(paddedHistories, new Shape(size, longest)),
                            withPadding, SparseFormat.DENSE).singletonOrThrow();
                    NDArray mean = history.sum(new int[] {1}).div(batchManager.create(historyLengths, new Shape(size, 1)));
                    NDArray users = userTower(mean);
                    NDArray positiveVectors = Embedding.embedding(batchManager.create(positiveIndices), vectors,
                            SparseFormat.DENSE).singletonOrThrow();
                    NDArray logits = users.matMul(positiveVectors.transpose())
                            .add(batchManager.create(logitCorrections, new Shape(size, size)));
                    NDArray loss = logits.logSoftmax(1).mul(batchManager.eye(size)).sum().div(-size);
                    collector.backward(loss);
                    return loss.getFloat();
                }
            }
        }

        private NDArray itemVectors(NDArray embeddings, NDArray genreWeights, NDArray genreFlags) {
            return genreWeights == null ? embeddings : embeddings.add(genreFlags.matMul(genreWeights));
        }

        private NDArray userTower(NDArray mean) {
            NDArray activation = Activation.relu(Linear.linear(mean, hiddenWeights, hiddenBias).singletonOrThrow());
            return mean.add(Linear.linear(activation, outputWeights, outputBias).singletonOrThrow());
        }

        /**
         * A random part of the user's training items other than {@code positive}: between one and
         * {@link Config#maxHistory()} of them, so that the tower learns from short histories, as a new user's are,
         * as well as from long ones.
         */
        private long[] sampledHistory(int user, int positive) {
            int[] all = train.itemsOf(user);
            int[] others = new int[all.length];
            int count = 0;
            for (int item : all) {
                if (item != positive) {
                    others[count++] = item;
                }
            }
            int kept = count == 0 ? 0 : 1 + random.nextInt(Math.min(count, config.maxHistory()));
            for (int i = 0; i < kept; i++) {
                int j = i + random.nextInt(count - i);
                int swap = others[i];
                others[i] = others[j];
                others[j] = swap;
            }
            long[] history = new long[kept];
            for (int i = 0; i < kept; i++) {
                history[i] = others[i];
            }
            return history;
        }

        private void export() {
            float[] vectors = itemVectors(itemEmbeddings, genreEmbeddings, itemGenres).toFloatArray();
            int d = config.dimension();
            List<String> ids = new ArrayList<>(items);
            float[][] rows = new float[items][];
            for (int item = 0; item < items; item++) {
                ids.add(train.itemId(item));
                rows[item] = Arrays.copyOfRange(vectors, item * d, (item + 1) * d);
            }
            itemVectors = new ItemVectors(ids, rows);
            userTower = new UserTower(d, config.hidden(), hiddenWeights.toFloatArray(), hiddenBias.toFloatArray(),
                    outputWeights.toFloatArray(), outputBias.toFloatArray());
        }

        private NDArray parameter(String name, NDArray initial) {
            initial.setRequiresGradient(true);
            parameters.put(name, initial);
            return initial;
        }

        private NDArray[] parameterArrays() {
            List<NDArray> arrays = new ArrayList<>(parameters.values());
            if (itemGenres != null) {
                arrays.add(itemGenres);
            }
            return arrays.toArray(NDArray[]::new);
        }

        /** Gaussian initial weights from the seeded Java generator, so that the engine's own generator plays no part. */
        private NDArray normal(Shape shape, double deviation) {
            float[] values = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * deviation);
            }
            return manager.create(values, shape);
        }

        /** Each item's genre flags scaled to sum to one (the mean of its genres' embeddings); null without genres. */
        private float[][] genreFlags() {
            if (genres.isEmpty()) {
                return null;
            }
            int count = genres.values().iterator().next().length;
            float[][] flags = new float[items][count];
            for (int item = 0; item < items; item++) {
                boolean[] ofItem = genres.get(train.itemId(item));
                if (ofItem == null) {
                    continue;
                }
                int set = 0;
                for (boolean flag : ofItem) {
                    set += flag ? 1 : 0;
                }
                for (int g = 0; g < Math.min(count, ofItem.length); g++) {
                    flags[item][g] = ofItem[g] ? 1f / set : 0;
                }
            }
            return flags;
        }

        /** The log of each item's share of the training pairs: how often in-batch sampling offers it as a negative. */
        private float[] logSamplingProbabilities() {
            double[] counts = new double[items];
            double total = 0;
            for (int user = 0; user < train.users(); user++) {
                for (int item : train.itemsOf(user)) {
                    counts[item]++;
                    total++;
                }
            }
            float[] logs = new float[items];
            for (int item = 0; item < items; item++) {
                // An item with no training pair is never sampled; one pair's worth keeps its log finite.
                logs[item] = (float) Math.log(Math.max(1, counts[item]) / total);
            }
            return logs;
        }

        private int[][] trainingPairs() {
            List<int[]> pairs = new ArrayList<>();
            for (int user = 0; user < train.users(); user++) {
                for (int item : train.itemsOf(user)) {
                    pairs.add(new int[] {user, item});
                }
            }
            return pairs.toArray(int[][]::new);
        }

        private void shuffle(int[][] pairs) {
            List<int[]> list = Arrays.asList(pairs);
            Collections.shuffle(list, random);
        }
    }
}
