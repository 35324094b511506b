package dev.mlplatform.fraud.training;

import dev.mlplatform.core.evaluation.BinaryClassificationMetrics;
import dev.mlplatform.core.training.gbdt.GbdtDataset;
import dev.mlplatform.core.training.gbdt.GbdtModel;
import dev.mlplatform.core.training.gbdt.GbdtParams;
import dev.mlplatform.core.training.gbdt.GbdtTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Chooses hyper-parameters on the training days only, never on the test days: each candidate is
 * trained on the first training days and scored by Average Precision on the last ones (the
 * {@link TimeSplit#validation() validation split}); the best is then trained again on all training days.
 * For the GBDT, early stopping on the validation days also fixes the number of boosting rounds, which
 * the final model keeps.
 */
public final class ModelSelection {

    private static final int ROUND_PROGRESS_EVERY = 50;

    private ModelSelection() {
    }

    /** One candidate's result on the validation days. */
    public record Trial(String candidate, int rounds, double averagePrecision, double cardPrecisionAt100) {
    }

    /** The chosen GBDT, trained on all training days, with what chose it. */
    public record SelectedGbdt(GbdtModel model, GbdtParams params, List<Trial> trials) {
    }

    /** The chosen logistic regression, trained on all training days, with what chose it. */
    public record SelectedLogisticRegression(LogisticRegression model, double c, List<Trial> trials) {
    }

    public static SelectedGbdt gbdt(Examples train, Examples innerTrain, Examples validation, List<GbdtParams> grid,
                                    Consumer<String> progress) {
        List<Trial> trials = new ArrayList<>();
        GbdtParams best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (GbdtParams candidate : grid) {
            String name = describe(candidate);
            progress.accept("GBDT " + name + ": training on " + innerTrain.size() + " rows, early stopping on "
                    + validation.size() + " validation rows ...");
            try (GbdtModel model = new GbdtTrainer(candidate).train(dataset(innerTrain), dataset(validation),
                    round -> reportRound(progress, round.round(), round.maxRounds(), round.metric().xgboostName(),
                            round.train(), round.validation()))) {
                float[] scores = model.predict(validation.features());
                double ap = new BinaryClassificationMetrics(scores, validation.labels()).averagePrecision();
                Trial trial = new Trial(name, model.rounds(), ap, CardPrecision.atK(validation, scores, 100));
                trials.add(trial);
                progress.accept(String.format("GBDT %s: best after %d rounds, validation AP %.4f, CP@100 %.4f", name,
                        trial.rounds(), trial.averagePrecision(), trial.cardPrecisionAt100()));
                if (ap > bestScore) {
                    bestScore = ap;
                    best = candidate.withMaxRounds(model.rounds()).withEarlyStopping(0, candidate.evalMetric());
                }
            }
        }
        if (best == null) {
            throw new IllegalStateException("no GBDT candidate could be scored on the validation days: they hold no fraud");
        }
        GbdtParams chosen = best;
        progress.accept("GBDT " + describe(chosen) + ", " + chosen.maxRounds() + " rounds: training on all "
                + train.size() + " training rows ...");
        GbdtModel model = new GbdtTrainer(chosen).train(dataset(train), null,
                round -> reportRound(progress, round.round(), round.maxRounds(), round.metric().xgboostName(),
                        round.train(), Double.NaN));
        return new SelectedGbdt(model, chosen, trials);
    }

    public static SelectedLogisticRegression logisticRegression(Examples train, Examples innerTrain,
                                                                Examples validation, List<Double> grid,
                                                                Consumer<String> progress) {
        List<Trial> trials = new ArrayList<>();
        double bestC = Double.NaN;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (double c : grid) {
            LogisticRegression model = LogisticRegression.fit(innerTrain.features(), innerTrain.labels(), c);
            float[] scores = model.predict(validation.features());
            double ap = new BinaryClassificationMetrics(scores, validation.labels()).averagePrecision();
            Trial trial = new Trial("C=" + c, model.iterations(), ap, CardPrecision.atK(validation, scores, 100));
            trials.add(trial);
            progress.accept(String.format("logistic regression C=%s: validation AP %.4f, CP@100 %.4f", c,
                    trial.averagePrecision(), trial.cardPrecisionAt100()));
            if (ap > bestScore) {
                bestScore = ap;
                bestC = c;
            }
        }
        if (Double.isNaN(bestC)) {
            throw new IllegalStateException("no logistic regression could be scored on the validation days: they "
                    + "hold no fraud");
        }
        progress.accept("logistic regression C=" + bestC + ": training on all " + train.size() + " training rows ...");
        return new SelectedLogisticRegression(LogisticRegression.fit(train.features(), train.labels(), bestC), bestC,
                trials);
    }

    static String describe(GbdtParams params) {
        return "depth " + params.maxDepth() + ", eta " + params.learningRate() + ", min_child_weight "
                + params.minChildWeight();
    }

    private static GbdtDataset dataset(Examples examples) {
        return GbdtDataset.of(examples.features(), examples.labels());
    }

    private static void reportRound(Consumer<String> progress, int round, int maxRounds, String metric, double train,
                                    double validation) {
        if ((round + 1) % ROUND_PROGRESS_EVERY == 0) {
            progress.accept(String.format("  round %d/%d %s train %.4f%s", round + 1, maxRounds, metric, train,
                    Double.isNaN(validation) ? "" : String.format(" validation %.4f", validation)));
        }
    }
}
