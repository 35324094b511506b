package dev.mlplatform.core.training.gbdt;

/**
 * The evaluation metric after one boosting round.
 *
 * @param round      0-based round
 * @param maxRounds  rounds at most (early stopping may end sooner)
 * @param metric     the metric's name
 * @param train      its value on the training set
 * @param validation its value on the validation set, NaN without one
 */
public record RoundEvaluation(int round, int maxRounds, EvalMetric metric, double train, double validation) {
}
