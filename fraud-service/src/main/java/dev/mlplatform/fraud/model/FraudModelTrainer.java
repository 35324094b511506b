package dev.mlplatform.fraud.model;

import dev.mlplatform.core.evaluation.BinaryClassificationMetrics;
import dev.mlplatform.core.monitoring.DriftReference;
import dev.mlplatform.core.registry.FeatureViewRef;
import dev.mlplatform.core.registry.Lineage;
import dev.mlplatform.core.training.gbdt.GbdtDataset;
import dev.mlplatform.core.training.gbdt.GbdtModel;
import dev.mlplatform.core.training.gbdt.GbdtParams;
import dev.mlplatform.core.training.gbdt.GbdtTrainer;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.fraud.decision.DecisionPolicy;
import dev.mlplatform.fraud.scoring.SignalThresholds;
import dev.mlplatform.fraud.training.CardPrecision;
import dev.mlplatform.simulators.fraud.SimulationConfig;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the fraud model on simulated transactions, split by time: the first days train, the next
 * ones watch early stopping, the last ones (never seen in training) measure it. Produces the ONNX
 * artifact with its metrics and lineage, ready to register.
 */
public final class FraudModelTrainer {

    private static final Logger log = LoggerFactory.getLogger(FraudModelTrainer.class);

    /** Features whose unusual values are named as reasons; thresholds at their 99th legitimate percentile. */
    static final List<String> SIGNAL_FEATURES = List.of("amount", "tx_count_1m", "tx_amount_1m", "tx_count_5m",
            "tx_amount_5m", "tx_count_1h", "tx_amount_1h", "amount_to_mean_1h");
    private static final double SIGNAL_QUANTILE = 0.99;
    private static final int CARD_PRECISION_TOP_K = 100;

    /**
     * What to train on and how.
     *
     * @param simulation     the simulated population
     * @param days           simulated days in all
     * @param validationDays days after the training days, for early stopping
     * @param testDays       the last days, held out for evaluation
     * @param params         the GBDT hyper-parameters
     * @param policy         the serving thresholds, to report precision and recall at them
     * @param codeVersion    the code that trains, for lineage
     */
    public record Plan(SimulationConfig simulation, int days, int validationDays, int testDays, GbdtParams params,
                       DecisionPolicy policy, String codeVersion) {

        public Plan {
            if (testDays < 1 || validationDays < 1 || days - validationDays - testDays < 1) {
                throw new IllegalArgumentException("need at least one day each to train, validate and test: days="
                        + days + " validationDays=" + validationDays + " testDays=" + testDays);
            }
        }
    }

    /** A trained model, exported, with what the registry keeps beside it. */
    public record TrainedModel(byte[] onnx, Map<String, Double> metrics, Lineage lineage, SignalThresholds signals,
                               GbdtModel booster, FraudTrainingSet test) implements AutoCloseable {
        @Override
        public void close() {
            booster.close();
        }
    }

    public TrainedModel train(Plan plan) {
        SimulationConfig sim = plan.simulation();
        log.info("training fraud model: simulating {} days of {} customers and {} terminals (seed {})",
                plan.days(), sim.customers(), sim.terminals(), sim.seed());
        FraudTrainingSet all = FraudTrainingSet.simulate(sim, plan.days());
        Instant start = sim.start();
        Instant validationStart = start.plus(plan.days() - plan.validationDays() - plan.testDays(), ChronoUnit.DAYS);
        Instant testStart = start.plus(plan.days() - plan.testDays(), ChronoUnit.DAYS);
        Instant end = start.plus(plan.days(), ChronoUnit.DAYS);
        FraudTrainingSet train = all.between(start, validationStart);
        FraudTrainingSet validation = all.between(validationStart, testStart);
        FraudTrainingSet test = all.between(testStart, end);
        log.info("training fraud model: {} transactions with their streamed features computed; train {} ({} fraud), "
                        + "validation {} ({} fraud), test {} ({} fraud)", all.size(), train.size(), train.positives(),
                validation.size(), validation.positives(), test.size(), test.positives());

        GbdtModel booster = new GbdtTrainer(plan.params()).train(
                GbdtDataset.of(train.features(), train.labels()),
                GbdtDataset.of(validation.features(), validation.labels()),
                round -> {
                    if ((round.round() + 1) % 10 == 0 || round.round() == 0) {
                        log.info("training fraud model: round {}/{} {} train={} validation={}", round.round() + 1,
                                round.maxRounds(), round.metric().xgboostName(), format(round.train()),
                                format(round.validation()));
                    }
                });
        try {
            byte[] onnx = booster.toOnnx();
            float[] testScores = booster.predict(test.features());
            Map<String, Double> metrics = evaluate(testScores, test, plan.policy());
            metrics.put("rounds", (double) booster.rounds());
            metrics.put("train_rows", (double) train.size());
            metrics.put("train_frauds", (double) train.positives());
            SignalThresholds signals = signalThresholds(train);
            Lineage lineage = new Lineage(FraudTrainingSet.dataId(sim, plan.days()), all.sha256(),
                    List.of(new FeatureViewRef(FraudFeatures.CARD_VELOCITY.name(), FraudFeatures.CARD_VELOCITY.version())),
                    plan.codeVersion(), params(plan, validationStart, testStart, end, signals,
                    ServingDrift.reference(testScores, test.features())));
            log.info("training fraud model: {} rounds; on the {} held-out days auc_roc={} average_precision={} "
                            + "card_precision_at_100={} precision/recall at review threshold {}: {}/{}", booster.rounds(),
                    plan.testDays(), format(metrics.get("auc_roc")), format(metrics.get("average_precision")),
                    format(metrics.get("card_precision_at_100")), plan.policy().review(),
                    format(metrics.get("precision_at_review")), format(metrics.get("recall_at_review")));
            return new TrainedModel(onnx, metrics, lineage, signals, booster, test);
        } catch (RuntimeException e) {
            booster.close();
            throw e;
        }
    }

    /** Held-out metrics; NaN-valued ones (no positive, nothing flagged) are left out, as the registry takes finite numbers only. */
    static Map<String, Double> evaluate(float[] scores, FraudTrainingSet test, DecisionPolicy policy) {
        BinaryClassificationMetrics metrics = new BinaryClassificationMetrics(scores, test.labels());
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("auc_roc", metrics.aucRoc());
        values.put("average_precision", metrics.averagePrecision());
        values.put("precision_at_100", metrics.precisionAtTopK(100));
        values.put("card_precision_at_100", cardPrecisionAtK(scores, test, CARD_PRECISION_TOP_K));
        var review = metrics.at(policy.review());
        values.put("threshold_review", policy.review());
        values.put("precision_at_review", review.precision());
        values.put("recall_at_review", review.recall());
        var decline = metrics.at(policy.decline());
        values.put("threshold_decline", policy.decline());
        values.put("precision_at_decline", decline.precision());
        values.put("recall_at_decline", decline.recall());
        metrics.highestRecallAtPrecision(0.9).ifPresent(point -> {
            values.put("threshold_at_precision_0_9", point.threshold());
            values.put("recall_at_precision_0_9", point.recall());
        });
        values.put("test_rows", (double) test.size());
        values.put("test_frauds", (double) test.positives());
        values.values().removeIf(value -> value == null || !Double.isFinite(value));
        return values;
    }

    /** The handbook's card precision top-k over the test days (see {@link CardPrecision}). */
    static double cardPrecisionAtK(float[] scores, FraudTrainingSet test, int k) {
        LocalDate[] days = new LocalDate[test.size()];
        for (int i = 0; i < days.length; i++) {
            days[i] = test.times()[i].atZone(ZoneOffset.UTC).toLocalDate();
        }
        return CardPrecision.atK(test.cards(), days, test.labels(), scores, k);
    }

    static SignalThresholds signalThresholds(FraudTrainingSet train) {
        Map<String, Double> thresholds = new LinkedHashMap<>();
        for (String feature : SIGNAL_FEATURES) {
            int column = FraudFeatureVector.indexOf(feature);
            List<Float> legitimate = new ArrayList<>();
            for (int i = 0; i < train.size(); i++) {
                if (train.labels()[i] == 0) {
                    legitimate.add(train.features()[i][column]);
                }
            }
            if (legitimate.isEmpty()) {
                continue;
            }
            float[] values = new float[legitimate.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = legitimate.get(i);
            }
            Arrays.sort(values);
            double quantile = values[Math.min(values.length - 1, (int) Math.ceil(SIGNAL_QUANTILE * values.length) - 1)];
            if (quantile > 0) {
                thresholds.put(feature, quantile);
            }
        }
        return new SignalThresholds(thresholds, FraudFeatureVector.NAMES);
    }

    private static Map<String, String> params(Plan plan, Instant validationStart, Instant testStart, Instant end,
                                              SignalThresholds signals, DriftReference drift) {
        Map<String, String> params = new LinkedHashMap<>(plan.params().describe());
        params.put(ModelParams.FEATURE_NAMES, String.join(",", FraudFeatureVector.NAMES));
        params.put("split.train", plan.simulation().start() + "/" + validationStart);
        params.put("split.validation", validationStart + "/" + testStart);
        params.put("split.test", testStart + "/" + end);
        params.put("label", "simulated fraud (any scenario)");
        params.putAll(signals.toParams());
        params.put(DriftReference.LINEAGE_PARAM, drift.toJson());
        return params;
    }

    private static String format(Double value) {
        return value == null || value.isNaN() ? "n/a" : String.format("%.4f", value);
    }
}
