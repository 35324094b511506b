package dev.mlplatform.core.training.gbdt;

/** Told after each boosting round, to show progress or log a learning curve. */
@FunctionalInterface
public interface TrainingProgress {

    TrainingProgress SILENT = round -> { };

    void onRound(RoundEvaluation round);
}
