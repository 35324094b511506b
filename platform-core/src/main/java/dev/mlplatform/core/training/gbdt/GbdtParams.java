package dev.mlplatform.core.training.gbdt;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters of a gradient-boosted tree binary classifier (XGBoost, {@code binary:logistic},
 * histogram tree method).
 *
 * @param maxRounds           boosting rounds at most
 * @param maxDepth            depth of each tree
 * @param learningRate        shrinkage of each tree ({@code eta})
 * @param minChildWeight      smallest hessian sum a leaf may have
 * @param subsample           share of rows each tree sees
 * @param columnSampleByTree  share of features each tree sees
 * @param l2Regularization    L2 penalty on leaf weights ({@code lambda})
 * @param scalePosWeight      weight of positive rows relative to negatives (about negatives/positives
 *                            for rare positives)
 * @param earlyStoppingRounds stop when the validation metric has not improved for this many rounds
 *                            and keep the best round; 0 to train all rounds
 * @param evalMetric          the metric reported each round and watched for early stopping
 * @param seed                random seed, for reproducible training
 * @param threads             training threads
 * @param maxBin              histogram bins per feature: split points are chosen among their edges, so a
 *                            threshold that matters in a feature's far tail needs more than the default 256
 */
public record GbdtParams(
        int maxRounds,
        int maxDepth,
        double learningRate,
        double minChildWeight,
        double subsample,
        double columnSampleByTree,
        double l2Regularization,
        double scalePosWeight,
        int earlyStoppingRounds,
        EvalMetric evalMetric,
        long seed,
        int threads,
        int maxBin) {

    public GbdtParams {
        if (maxBin < 2) {
            throw new IllegalArgumentException("maxBin must be at least 2, was " + maxBin);
        }
        if (maxRounds < 1 || maxDepth < 1 || threads < 1 || earlyStoppingRounds < 0) {
            throw new IllegalArgumentException("maxRounds, maxDepth and threads must be positive, "
                    + "earlyStoppingRounds not negative: " + maxRounds + ", " + maxDepth + ", " + threads + ", "
                    + earlyStoppingRounds);
        }
        if (!(learningRate > 0 && learningRate <= 1) || !(subsample > 0 && subsample <= 1)
                || !(columnSampleByTree > 0 && columnSampleByTree <= 1)) {
            throw new IllegalArgumentException("learningRate, subsample and columnSampleByTree must be in (0, 1]");
        }
        if (!(minChildWeight >= 0) || !(l2Regularization >= 0) || !(scalePosWeight > 0)) {
            throw new IllegalArgumentException("minChildWeight and l2Regularization must not be negative, "
                    + "scalePosWeight must be positive");
        }
    }

    /** 300 rounds of depth-6 trees at rate 0.1, early stopping after 30 rounds on AUCPR, 256 bins. */
    public static GbdtParams defaults() {
        return new GbdtParams(300, 6, 0.1, 1.0, 0.8, 0.8, 1.0, 1.0, 30, EvalMetric.AUCPR, 42,
                Runtime.getRuntime().availableProcessors(), 256);
    }

    public GbdtParams withMaxRounds(int rounds) {
        return new GbdtParams(rounds, maxDepth, learningRate, minChildWeight, subsample, columnSampleByTree,
                l2Regularization, scalePosWeight, earlyStoppingRounds, evalMetric, seed, threads, maxBin);
    }

    public GbdtParams withMaxDepth(int depth) {
        return new GbdtParams(maxRounds, depth, learningRate, minChildWeight, subsample, columnSampleByTree,
                l2Regularization, scalePosWeight, earlyStoppingRounds, evalMetric, seed, threads, maxBin);
    }

    public GbdtParams withLearningRate(double rate) {
        return new GbdtParams(maxRounds, maxDepth, rate, minChildWeight, subsample, columnSampleByTree,
                l2Regularization, scalePosWeight, earlyStoppingRounds, evalMetric, seed, threads, maxBin);
    }

    public GbdtParams withScalePosWeight(double weight) {
        return new GbdtParams(maxRounds, maxDepth, learningRate, minChildWeight, subsample, columnSampleByTree,
                l2Regularization, weight, earlyStoppingRounds, evalMetric, seed, threads, maxBin);
    }

    public GbdtParams withEarlyStopping(int rounds, EvalMetric metric) {
        return new GbdtParams(maxRounds, maxDepth, learningRate, minChildWeight, subsample, columnSampleByTree,
                l2Regularization, scalePosWeight, rounds, metric, seed, threads, maxBin);
    }

    public GbdtParams withSeed(long newSeed) {
        return new GbdtParams(maxRounds, maxDepth, learningRate, minChildWeight, subsample, columnSampleByTree,
                l2Regularization, scalePosWeight, earlyStoppingRounds, evalMetric, newSeed, threads, maxBin);
    }

    public GbdtParams withThreads(int count) {
        return new GbdtParams(maxRounds, maxDepth, learningRate, minChildWeight, subsample, columnSampleByTree,
                l2Regularization, scalePosWeight, earlyStoppingRounds, evalMetric, seed, count, maxBin);
    }

    public GbdtParams withMaxBin(int bins) {
        return new GbdtParams(maxRounds, maxDepth, learningRate, minChildWeight, subsample, columnSampleByTree,
                l2Regularization, scalePosWeight, earlyStoppingRounds, evalMetric, seed, threads, bins);
    }

    /** The parameters as XGBoost reads them. */
    public Map<String, Object> toXgboost() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("objective", "binary:logistic");
        params.put("tree_method", "hist");
        params.put("eval_metric", evalMetric.xgboostName());
        params.put("max_depth", maxDepth);
        params.put("eta", learningRate);
        params.put("min_child_weight", minChildWeight);
        params.put("subsample", subsample);
        params.put("colsample_bytree", columnSampleByTree);
        params.put("lambda", l2Regularization);
        params.put("scale_pos_weight", scalePosWeight);
        params.put("seed", seed);
        params.put("nthread", threads);
        params.put("max_bin", maxBin);
        params.put("verbosity", 0);
        return params;
    }

    /** The parameters as text, for a registry's lineage. */
    public Map<String, String> describe() {
        Map<String, String> description = new LinkedHashMap<>();
        toXgboost().forEach((key, value) -> description.put(key, String.valueOf(value)));
        description.put("max_rounds", String.valueOf(maxRounds));
        description.put("early_stopping_rounds", String.valueOf(earlyStoppingRounds));
        return description;
    }
}
