package dev.mlplatform.core.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores rows of features with an ONNX model through ONNX Runtime.
 *
 * <p>One {@link OrtSession} per model, created once and shared by all threads: ONNX Runtime's
 * {@code run} is thread-safe, and creating a session is the expensive part. The process-wide
 * {@link OrtEnvironment} is shared by all predictors.
 *
 * <p>The model must have one float tensor input of shape {@code [N, F]}. Scores are read from one
 * output ({@link OnnxPredictorOptions#scoreOutput()}, by default the last one), which may be
 * <ul>
 *   <li>a float or double tensor {@code [N]} or {@code [N, 1]}: the score itself (a regressor or a
 *       probability such as our XGBoost export's {@code probability});</li>
 *   <li>a tensor {@code [N, 2]}: per-class probabilities of a binary classifier, the score is the
 *       column of the positive class ({@code 1});</li>
 *   <li>a sequence of maps {@code seq(map(label, probability))} (sklearn-onnx's ZipMap): the score is
 *       the positive label's probability.</li>
 * </ul>
 * A closed predictor must not be used; {@link dev.mlplatform.core.rollout.SwappableModel} makes
 * sure a swapped-out predictor is closed only after its last request.
 */
public final class OnnxPredictor implements AutoCloseable {

    private static final OrtEnvironment ENVIRONMENT = OrtEnvironment.getEnvironment();

    private final OrtSession session;
    private final String inputName;
    private final int featureCount;
    private final String scoreOutput;
    private final Set<String> requestedOutputs;
    private final String positiveLabel;

    private OnnxPredictor(OrtSession session, OnnxPredictorOptions options) throws OrtException {
        this.session = session;
        this.positiveLabel = options.positiveLabel();
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (inputs.size() != 1) {
            throw new InferenceException("expected a model with one input, found " + inputs.keySet());
        }
        NodeInfo input = inputs.values().iterator().next();
        if (!(input.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT
                || tensor.getShape().length != 2) {
            throw new InferenceException("expected the input to be a float tensor [N, F], found " + input);
        }
        this.inputName = input.getName();
        long width = tensor.getShape()[1];
        this.featureCount = width > 0 ? (int) width : -1;

        Map<String, NodeInfo> outputs = session.getOutputInfo();
        String chosen = options.scoreOutput();
        if (chosen == null) {
            List<String> names = new ArrayList<>(outputs.keySet());
            chosen = names.get(names.size() - 1);
        } else if (!outputs.containsKey(chosen)) {
            throw new InferenceException("the model has no output '" + chosen + "', only " + outputs.keySet());
        }
        checkReadable(outputs.get(chosen));
        this.scoreOutput = chosen;
        this.requestedOutputs = Set.of(chosen);
    }

    /** Loads a model from its bytes. */
    public static OnnxPredictor load(byte[] model, OnnxPredictorOptions options) {
        try (OrtSession.SessionOptions sessionOptions = sessionOptions(options)) {
            return open(ENVIRONMENT.createSession(model, sessionOptions), options);
        } catch (OrtException e) {
            throw new InferenceException("cannot load ONNX model (" + model.length + " bytes): " + e.getMessage(), e);
        }
    }

    /** Loads a model from a file (ONNX Runtime reads it, external weights beside it included). */
    public static OnnxPredictor load(Path model, OnnxPredictorOptions options) {
        try (OrtSession.SessionOptions sessionOptions = sessionOptions(options)) {
            return open(ENVIRONMENT.createSession(model.toString(), sessionOptions), options);
        } catch (OrtException e) {
            throw new InferenceException("cannot load ONNX model " + model + ": " + e.getMessage(), e);
        }
    }

    private static OnnxPredictor open(OrtSession session, OnnxPredictorOptions options) throws OrtException {
        try {
            return new OnnxPredictor(session, options);
        } catch (RuntimeException | OrtException e) {
            session.close();
            throw e;
        }
    }

    private static OrtSession.SessionOptions sessionOptions(OnnxPredictorOptions options) throws OrtException {
        OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions();
        sessionOptions.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        // Operators run one after another: parallelism comes from concurrent requests.
        sessionOptions.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
        sessionOptions.setInterOpNumThreads(1);
        if (options.intraOpThreads() > 1) {
            // Spinning workers would burn the cores that other requests need between inferences.
            sessionOptions.addConfigEntry("session.intra_op.allow_spinning", "0");
        }
        return sessionOptions;
    }

    /** One score per row, in row order. Rows may contain NaN for a missing value. */
    public float[] predict(float[][] rows) {
        if (rows.length == 0) {
            return new float[0];
        }
        int width = rows[0].length;
        if (featureCount > 0 && width != featureCount) {
            throw new IllegalArgumentException("the model expects " + featureCount + " features, row 0 has " + width);
        }
        FloatBuffer input = ByteBuffer.allocateDirect(rows.length * width * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != width) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " features, row 0 has "
                        + width);
            }
            input.put(rows[i]);
        }
        input.rewind();
        try (OnnxTensor tensor = OnnxTensor.createTensor(ENVIRONMENT, input, new long[] {rows.length, width});
             OrtSession.Result result = session.run(Map.of(inputName, tensor), requestedOutputs)) {
            return scores(result.get(scoreOutput).orElseThrow(), rows.length);
        } catch (OrtException e) {
            throw new InferenceException("ONNX inference failed: " + e.getMessage(), e);
        }
    }

    /** The score of one row. */
    public float predict(float[] row) {
        return predict(new float[][] {row})[0];
    }

    /** The number of features a row must have, or -1 when the model does not fix it. */
    public int featureCount() {
        return featureCount;
    }

    public String inputName() {
        return inputName;
    }

    /** The output scores are read from. */
    public String scoreOutput() {
        return scoreOutput;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new InferenceException("cannot close ONNX session: " + e.getMessage(), e);
        }
    }

    private float[] scores(OnnxValue value, int rows) throws OrtException {
        if (value instanceof OnnxTensor tensor) {
            return tensorScores(tensor, rows);
        }
        if (value instanceof OnnxSequence sequence) {
            return mapScores(sequence, rows);
        }
        throw new InferenceException("cannot read scores from output '" + scoreOutput + "' of type " + value.getType());
    }

    private float[] tensorScores(OnnxTensor tensor, int rows) {
        long[] shape = tensor.getInfo().getShape();
        long columns = shape.length == 1 ? 1 : shape.length == 2 ? shape[1] : -1;
        if (shape[0] != rows || (columns != 1 && columns != 2)) {
            throw new InferenceException("output '" + scoreOutput + "' has shape " + Arrays.toString(shape)
                    + ", expected [" + rows + "], [" + rows + ", 1] or [" + rows + ", 2]");
        }
        // [N, 2] holds (negative, positive) probabilities: the score is the positive column.
        int column = columns == 2 ? positiveColumn() : 0;
        float[] scores = new float[rows];
        if (tensor.getInfo().type == OnnxJavaType.FLOAT) {
            FloatBuffer values = tensor.getFloatBuffer();
            for (int i = 0; i < rows; i++) {
                scores[i] = values.get((int) (i * columns + column));
            }
        } else if (tensor.getInfo().type == OnnxJavaType.DOUBLE) {
            DoubleBuffer values = tensor.getDoubleBuffer();
            for (int i = 0; i < rows; i++) {
                scores[i] = (float) values.get((int) (i * columns + column));
            }
        } else {
            throw new InferenceException("output '" + scoreOutput + "' holds " + tensor.getInfo().type
                    + ", expected float or double scores");
        }
        return scores;
    }

    private int positiveColumn() {
        return switch (positiveLabel) {
            case "1" -> 1;
            case "0" -> 0;
            default -> throw new InferenceException("a [N, 2] probability output has classes 0 and 1, not '"
                    + positiveLabel + "'");
        };
    }

    private float[] mapScores(OnnxSequence sequence, int rows) throws OrtException {
        List<? extends OnnxValue> maps = sequence.getValue();
        if (maps.size() != rows) {
            throw new InferenceException("output '" + scoreOutput + "' holds " + maps.size() + " maps for "
                    + rows + " rows");
        }
        float[] scores = new float[rows];
        for (int i = 0; i < rows; i++) {
            Map<?, ?> probabilities = ((OnnxMap) maps.get(i)).getValue();
            Object probability = null;
            for (Map.Entry<?, ?> entry : probabilities.entrySet()) {
                // Labels are int64 or strings depending on the converter: compare their text.
                if (String.valueOf(entry.getKey()).equals(positiveLabel)) {
                    probability = entry.getValue();
                }
            }
            if (!(probability instanceof Number number)) {
                throw new InferenceException("output '" + scoreOutput + "' row " + i + " has no probability for label '"
                        + positiveLabel + "': labels " + probabilities.keySet());
            }
            scores[i] = number.floatValue();
        }
        return scores;
    }

    private static void checkReadable(NodeInfo output) {
        ValueInfo info = output.getInfo();
        boolean readable = info instanceof TensorInfo tensor
                && (tensor.type == OnnxJavaType.FLOAT || tensor.type == OnnxJavaType.DOUBLE)
                || info instanceof SequenceInfo sequence && sequence.isSequenceOfMaps();
        if (!readable) {
            throw new InferenceException("cannot read scores from output " + output
                    + ": expected a float tensor or a sequence of maps");
        }
    }
}
