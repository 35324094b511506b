package dev.mlplatform.core.inference;

/**
 * How an {@link OnnxPredictor} runs its model.
 *
 * @param intraOpThreads threads one inference may use; 1 suits small models on a small machine,
 *                       where concurrency comes from many requests rather than from one
 * @param scoreOutput    the graph output to read scores from; {@code null} for the last output
 *                       (classifier converters put labels first and probabilities last)
 * @param positiveLabel  the class whose probability is the score, when the output holds one
 *                       probability per class (a tensor {@code [N, 2]} or a sequence of maps)
 */
public record OnnxPredictorOptions(int intraOpThreads, String scoreOutput, String positiveLabel) {

    public OnnxPredictorOptions {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be at least 1, was " + intraOpThreads);
        }
        if (positiveLabel == null || positiveLabel.isBlank()) {
            throw new IllegalArgumentException("positiveLabel is blank");
        }
    }

    /** One thread per inference, the last output, class {@code 1}. */
    public static OnnxPredictorOptions defaults() {
        return new OnnxPredictorOptions(1, null, "1");
    }

    public OnnxPredictorOptions withIntraOpThreads(int threads) {
        return new OnnxPredictorOptions(threads, scoreOutput, positiveLabel);
    }

    public OnnxPredictorOptions withScoreOutput(String output) {
        return new OnnxPredictorOptions(intraOpThreads, output, positiveLabel);
    }

    public OnnxPredictorOptions withPositiveLabel(String label) {
        return new OnnxPredictorOptions(intraOpThreads, scoreOutput, label);
    }
}
