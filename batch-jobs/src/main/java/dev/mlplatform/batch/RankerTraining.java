package dev.mlplatform.batch;

import dev.mlplatform.recsys.evaluation.Interactions;
import dev.mlplatform.recsys.evaluation.RankingMetrics;
import dev.mlplatform.recsys.evaluation.UserSplit;
import dev.mlplatform.recsys.model.ItemNeighbours;
import dev.mlplatform.recsys.model.Recommender;
import dev.mlplatform.recsys.model.TwoTowerModel;
import dev.mlplatform.recsys.ranking.BlendWeights;
import dev.mlplatform.recsys.ranking.Source;
import dev.mlplatform.recsys.ranking.SourceScoring;
import dev.mlplatform.recsys.retrieval.ExactItemSearch;
import dev.mlplatform.recsys.retrieval.TwoTowerRetrieval;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Matrices;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The learnt ranker: the blend weights of the sources, fitted to what users went on to do. For each user of the
 * evaluation split, the sources propose candidates as the service would, from the models fitted on the training
 * part, each source's scores scaled by {@link SourceScoring} exactly as serving scales them; a candidate's features
 * are its scaled score from each source (0 when the source did not propose it), its label whether it is among the
 * user's held-out items. Spark MLlib's logistic regression, with coefficients bounded below by 0 (a source can
 * count for nothing, never against), fits the weights on half the users; the other half measures them against the
 * hand-set weights and each source alone, by nDCG@k under the protocol of {@code recs evaluate}.
 *
 * <p>Offline the "latest interactions" are {@value SourceScoring#RECENT_USED} of the user's training items drawn
 * at random, and trending is popularity over the training part: the split has no event order. Content and
 * exploration depend on what is new and on stated genres, which the split cannot show; they keep their hand-set
 * weights, and the learnt ones are scaled to the total the hand-set ones give the same sources.
 */
final class RankerTraining {

    static final List<Source> LEARNT = List.of(Source.COLLABORATIVE, Source.RECENT, Source.EMBEDDING, Source.TRENDING);
    /** Users whose candidates are built (a sample when there are more): plenty for four weights. */
    static final int MAX_USERS = 2_000;
    static final int COLLABORATIVE_CANDIDATES = 200;
    static final int TRENDING_CANDIDATES = 100;

    /**
     * @param metrics nDCG@k of the learnt weights ({@code ndcg_at_K}), of the hand-set ones and of each source
     *                alone, on the users the weights were not fitted on
     */
    record Result(BlendWeights weights, Map<String, Double> metrics, int fitUsers, int evaluationUsers, long rows) {

        boolean beatsHandSet(int k) {
            return metrics.get("ndcg_at_" + k) >= metrics.get("ndcg_at_" + k + "_hand_set");
        }
    }

    /** One candidate of one user: its item, its scaled score per source, and whether the user went on to have it. */
    private record Candidate(int item, Map<Source, Double> features, boolean relevant) {
    }

    private final Interactions train;
    private final Interactions test;
    private final Recommender collaborative;
    private final ItemNeighbours neighbours;
    private final TwoTowerRetrieval retrieval;
    private final long seed;
    private final Map<String, Integer> itemIndex = new HashMap<>();

    /**
     * @param collaborative the nightly model fitted on {@code split.train()}
     * @param neighbours    its item-item neighbours, or null when it has none (the recent source is then empty, as
     *                      in serving)
     * @param tower         the two-tower model fitted on {@code split.train()}, or null when none was trained
     */
    RankerTraining(UserSplit split, Recommender collaborative, ItemNeighbours neighbours, TwoTowerModel tower,
                   long seed) {
        this.train = split.train();
        this.test = split.test();
        this.collaborative = collaborative;
        this.neighbours = neighbours;
        // Exact search offline: the ground truth that HNSW approximates in serving.
        this.retrieval = tower == null ? null : new TwoTowerRetrieval(tower, new ExactItemSearch(tower.items()));
        this.seed = seed;
        for (int item = 0; item < train.items(); item++) {
            itemIndex.put(train.itemId(item), item);
        }
    }

    Result train(SparkSession spark, int k, PrintStream progress) {
        List<Integer> users = sampledUsers();
        Map<String, Double> trending = trending();
        Random halves = new Random(seed);
        Map<Integer, List<Candidate>> fit = new LinkedHashMap<>();
        Map<Integer, List<Candidate>> evaluation = new LinkedHashMap<>();
        long rows = 0;
        for (int user : users) {
            List<Candidate> candidates = candidates(user, trending);
            rows += candidates.size();
            (halves.nextBoolean() ? fit : evaluation).put(user, candidates);
        }
        progress.printf("  ranker: %,d candidates of %,d users (%,d to fit, %,d to evaluate)%n", rows, users.size(),
                fit.size(), evaluation.size());

        BlendWeights learnt = fitWeights(spark, fit);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("ndcg_at_" + k, ndcg(learnt, evaluation, k));
        metrics.put("ndcg_at_" + k + "_hand_set", ndcg(BlendWeights.DEFAULT, evaluation, k));
        for (Source source : LEARNT) {
            metrics.put("ndcg_at_" + k + "_only_" + source.label(), ndcg(BlendWeights.only(source), evaluation, k));
        }
        return new Result(learnt, metrics, fit.size(), evaluation.size(), rows);
    }

    /** Users with held-out items; a seeded sample of {@value #MAX_USERS} when there are more. */
    private List<Integer> sampledUsers() {
        List<Integer> users = new ArrayList<>();
        for (int user = 0; user < test.users(); user++) {
            if (test.itemsOf(user).length > 0) {
                users.add(user);
            }
        }
        if (users.size() > MAX_USERS) {
            Collections.shuffle(users, new Random(seed));
            users = new ArrayList<>(users.subList(0, MAX_USERS));
            Collections.sort(users);
        }
        return users;
    }

    /** The most interacted-with items of the training part, scaled as serving scales a trending list. */
    private Map<String, Double> trending() {
        double[] counts = new double[train.items()];
        for (int user = 0; user < train.users(); user++) {
            for (int item : train.itemsOf(user)) {
                counts[item]++;
            }
        }
        Map<String, Double> top = new LinkedHashMap<>();
        for (int item : RankingMetrics.topK(counts, new int[0], TRENDING_CANDIDATES)) {
            top.put(train.itemId(item), counts[item]);
        }
        return SourceScoring.byMax(top);
    }

    private List<Candidate> candidates(int user, Map<String, Double> trending) {
        int[] had = train.itemsOf(user);
        Set<String> consumed = new HashSet<>();
        for (int item : had) {
            consumed.add(train.itemId(item));
        }
        Map<Source, Map<String, Double>> bySource = new EnumMap<>(Source.class);

        Map<String, Double> collaborativeScores = new LinkedHashMap<>();
        double[] scores = collaborative.scores(user);
        for (int item : RankingMetrics.topK(scores, had, COLLABORATIVE_CANDIDATES)) {
            collaborativeScores.put(train.itemId(item), scores[item]);
        }
        bySource.put(Source.COLLABORATIVE, SourceScoring.byMax(collaborativeScores));

        List<SourceScoring.Interaction> latest = latest(user);
        if (neighbours != null) {
            bySource.put(Source.RECENT,
                    SourceScoring.byMax(SourceScoring.scores(SourceScoring.recent(latest, neighbours))));
        }
        if (retrieval != null) {
            Map<String, Double> retrieved = new LinkedHashMap<>();
            List<String> history = latest.stream().map(SourceScoring.Interaction::itemId).toList();
            for (TwoTowerRetrieval.Match match
                    : retrieval.retrieve(history, SourceScoring.EMBEDDING_RETRIEVED, consumed)) {
                retrieved.put(match.itemId(), (double) match.score());
            }
            bySource.put(Source.EMBEDDING, SourceScoring.minMax(retrieved));
        }
        bySource.put(Source.TRENDING, trending);

        Map<String, Map<Source, Double>> features = new LinkedHashMap<>();
        bySource.forEach((source, scaled) -> scaled.forEach((itemId, value) -> {
            if (!consumed.contains(itemId)) {
                features.computeIfAbsent(itemId, id -> new EnumMap<>(Source.class)).put(source, value);
            }
        }));
        int[] relevant = test.itemsOf(user);
        List<Candidate> candidates = new ArrayList<>(features.size());
        features.forEach((itemId, values) -> {
            int item = itemIndex.get(itemId);
            candidates.add(new Candidate(item, values, Arrays.binarySearch(relevant, item) >= 0));
        });
        return candidates;
    }

    /** Stand-in for the latest interactions: training items of the user in a seeded random order, strength 1. */
    private List<SourceScoring.Interaction> latest(int user) {
        List<Integer> items = new ArrayList<>();
        for (int item : train.itemsOf(user)) {
            items.add(item);
        }
        Collections.shuffle(items, new Random(seed * 31 + user));
        return items.stream().limit(SourceScoring.RECENT_USED)
                .map(item -> new SourceScoring.Interaction(train.itemId(item), 1.0)).toList();
    }

    /** Logistic regression on the features, coefficients at least 0; scaled to the hand-set total of these sources. */
    private static BlendWeights fitWeights(SparkSession spark, Map<Integer, List<Candidate>> fit) {
        List<Row> rows = new ArrayList<>();
        fit.values().forEach(candidates -> candidates.forEach(candidate -> {
            double[] x = new double[LEARNT.size()];
            for (int f = 0; f < x.length; f++) {
                x[f] = candidate.features().getOrDefault(LEARNT.get(f), 0.0);
            }
            rows.add(RowFactory.create(candidate.relevant() ? 1.0 : 0.0, Vectors.dense(x)));
        }));
        StructType schema = new StructType()
                .add("label", DataTypes.DoubleType, false)
                .add("features", SQLDataTypes.VectorType(), false);
        LogisticRegressionModel model = new LogisticRegression()
                .setFamily("binomial")
                .setMaxIter(200)
                .setRegParam(0)
                .setLowerBoundsOnCoefficients(Matrices.zeros(1, LEARNT.size()))
                .fit(spark.createDataFrame(rows, schema));
        double[] coefficients = model.coefficients().toArray();
        double learntTotal = Arrays.stream(coefficients).sum();
        if (!(learntTotal > 0)) {
            throw new IllegalStateException("the ranker learnt no weight for any source: coefficients "
                    + Arrays.toString(coefficients));
        }
        double handSetTotal = LEARNT.stream().mapToDouble(BlendWeights.DEFAULT::of).sum();
        Map<Source, Double> weights = new EnumMap<>(Source.class);
        for (int f = 0; f < coefficients.length; f++) {
            weights.put(LEARNT.get(f), coefficients[f] / learntTotal * handSetTotal);
        }
        weights.put(Source.CONTENT, BlendWeights.DEFAULT.content());
        return BlendWeights.of(weights);
    }

    /** nDCG@k of the lists the weights make from each user's candidates (items no source proposed rank last). */
    private double ndcg(BlendWeights weights, Map<Integer, List<Candidate>> users, int k) {
        int[][] heldOut = new int[test.users()][];
        Arrays.fill(heldOut, new int[0]);
        users.keySet().forEach(user -> heldOut[user] = test.itemsOf(user));
        Interactions evaluated = train.withItems(heldOut);
        Recommender blend = new Recommender() {
            @Override
            public String name() {
                return "blend";
            }

            @Override
            public void fit(Interactions ignored) {
            }

            @Override
            public double[] scores(int user) {
                double[] scores = new double[train.items()];
                Arrays.fill(scores, -1);
                for (Candidate candidate : users.get(user)) {
                    scores[candidate.item()] = weights.blend(candidate.features());
                }
                return scores;
            }
        };
        return RankingMetrics.of(blend, new UserSplit(train, evaluated), k, Map.of()).ndcg();
    }
}
