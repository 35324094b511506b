package dev.mlplatform.core.training.gbdt;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Converts an XGBoost binary classifier (its JSON model, as {@code Booster.toByteArray("json")}
 * writes it) into an ONNX model that scores the same rows with the same result.
 *
 * <p>The graph: input {@value #INPUT} (float {@code [N, F]}, NaN = missing) → {@code ai.onnx.ml}
 * TreeEnsembleRegressor summing every tree's leaf value onto the base margin → output
 * {@value #MARGIN_OUTPUT} {@code [N, 1]} → Sigmoid → output {@value #PROBABILITY_OUTPUT}
 * {@code [N, 1]}, the last output (the one {@link dev.mlplatform.core.inference.OnnxPredictor}
 * reads by default). A regressor of the margin rather than a TreeEnsembleClassifier, because ONNX
 * Runtime special-cases two-class classifiers (STACK.md pitfall 9).
 *
 * <p>What makes the scores equal:
 * <ul>
 *   <li>XGBoost sends {@code x < split_condition} to the left child: mode {@code BRANCH_LT} with the
 *       left child as the true branch; thresholds and leaf values are float32 in both, parsed
 *       exactly from the JSON's decimal text.</li>
 *   <li>A missing value (NaN) follows the node's {@code default_left}:
 *       {@code nodes_missing_value_tracks_true} = default_left (NaN &lt; t is false, so without it NaN
 *       would always go right).</li>
 *   <li>XGBoost 3 stores {@code base_score} as a probability for logistic objectives (e.g.
 *       {@code "[4E-1]"}); the margin starts at its logit.</li>
 *   <li>Only the first {@code rounds} boosting rounds are exported (XGBoost's
 *       {@code iteration_indptr}), as {@link GbdtModel} predicts after early stopping.</li>
 * </ul>
 * Categorical splits, multi-class and other objectives are refused rather than exported wrongly.
 */
public final class XgboostOnnxExporter {

    public static final String INPUT = "features";
    public static final String MARGIN_OUTPUT = "margin";
    public static final String PROBABILITY_OUTPUT = "probability";

    private static final Set<String> LOGISTIC_OBJECTIVES = Set.of("binary:logistic", "reg:logistic");
    private static final String ML_DOMAIN = "ai.onnx.ml";
    private static final long IR_VERSION = 8;
    private static final long ONNX_OPSET = 17;
    private static final long ML_OPSET = 3;
    // Decimal text kept as BigDecimal, so each float is parsed once, exactly as XGBoost wrote it.
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private XgboostOnnxExporter() {
    }

    /**
     * @param xgboostJson the booster as XGBoost's JSON model
     * @param rounds      boosting rounds to export from the first; 0 for all
     * @return the serialized ONNX {@code ModelProto}
     * @throws IllegalArgumentException when the model is not a numerical binary logistic tree model
     */
    public static byte[] export(byte[] xgboostJson, int rounds) {
        JsonNode learner = JSON.readTree(xgboostJson).path("learner");
        String objective = learner.path("objective").path("name").asString("");
        if (!LOGISTIC_OBJECTIVES.contains(objective)) {
            throw new IllegalArgumentException("only " + LOGISTIC_OBJECTIVES + " models can be exported, not '"
                    + objective + "'");
        }
        JsonNode booster = learner.path("gradient_booster");
        if (!"gbtree".equals(booster.path("name").asString(""))) {
            throw new IllegalArgumentException("only gbtree boosters can be exported, not '"
                    + booster.path("name").asString("") + "'");
        }
        JsonNode modelParams = learner.path("learner_model_param");
        if (modelParams.path("num_class").asInt(0) > 1 || modelParams.path("num_target").asInt(1) != 1) {
            throw new IllegalArgumentException("only single-output binary models can be exported");
        }
        JsonNode featureTypes = learner.path("feature_types");
        for (int i = 0; i < featureTypes.size(); i++) {
            if ("c".equals(featureTypes.get(i).asString())) {
                throw new IllegalArgumentException("feature " + i + " is categorical: not supported");
            }
        }
        int featureCount = modelParams.path("num_feature").asInt();
        float baseScore = parseBaseScore(modelParams.path("base_score").asString());
        // XGBoost's ProbToMargin for logistic objectives, in the same float arithmetic.
        float baseMargin = (float) -Math.log(1.0f / baseScore - 1.0f);

        JsonNode model = booster.path("model");
        JsonNode indptr = model.path("iteration_indptr");
        int totalRounds = indptr.size() - 1;
        if (rounds < 0 || rounds > totalRounds) {
            throw new IllegalArgumentException("cannot export " + rounds + " rounds of a model with " + totalRounds);
        }
        int treeCount = indptr.get(rounds == 0 ? totalRounds : rounds).asInt();
        TreeEnsemble ensemble = new TreeEnsemble();
        JsonNode trees = model.path("trees");
        for (int tree = 0; tree < treeCount; tree++) {
            if (model.path("tree_info").get(tree).asInt() != 0) {
                throw new IllegalArgumentException("tree " + tree + " belongs to an output other than 0");
            }
            ensemble.addTree(tree, trees.get(tree), featureCount);
        }
        return model(ensemble, baseMargin, featureCount, objective, treeCount).toByteArray();
    }

    private static float parseBaseScore(String text) {
        // XGBoost 3 writes a vector "[4E-1]"; older versions a scalar "4E-1".
        String value = text.strip();
        if (value.startsWith("[") && value.endsWith("]")) {
            value = value.substring(1, value.length() - 1);
        }
        if (value.contains(",")) {
            throw new IllegalArgumentException("one base score expected, found " + text);
        }
        float baseScore = Float.parseFloat(value);
        if (!(baseScore > 0 && baseScore < 1)) {
            throw new IllegalArgumentException("a logistic model's base_score must be a probability, was " + text);
        }
        return baseScore;
    }

    private static ModelProto model(TreeEnsemble ensemble, float baseMargin, int featureCount, String objective,
                                    int treeCount) {
        NodeProto trees = NodeProto.newBuilder()
                .setOpType("TreeEnsembleRegressor")
                .setDomain(ML_DOMAIN)
                .setName("trees")
                .addInput(INPUT)
                .addOutput(MARGIN_OUTPUT)
                .addAttribute(ints("nodes_treeids", ensemble.treeIds))
                .addAttribute(ints("nodes_nodeids", ensemble.nodeIds))
                .addAttribute(ints("nodes_featureids", ensemble.featureIds))
                .addAttribute(floats("nodes_values", ensemble.thresholds))
                .addAttribute(strings("nodes_modes", ensemble.modes))
                .addAttribute(ints("nodes_truenodeids", ensemble.trueIds))
                .addAttribute(ints("nodes_falsenodeids", ensemble.falseIds))
                .addAttribute(ints("nodes_missing_value_tracks_true", ensemble.missingTracksTrue))
                .addAttribute(ints("target_treeids", ensemble.leafTreeIds))
                .addAttribute(ints("target_nodeids", ensemble.leafNodeIds))
                .addAttribute(ints("target_ids", ensemble.leafTargetIds))
                .addAttribute(floats("target_weights", ensemble.leafWeights))
                .addAttribute(floats("base_values", List.of(baseMargin)))
                .addAttribute(AttributeProto.newBuilder().setName("n_targets")
                        .setType(AttributeProto.AttributeType.INT).setI(1))
                .addAttribute(string("aggregate_function", "SUM"))
                .addAttribute(string("post_transform", "NONE"))
                .build();
        NodeProto sigmoid = NodeProto.newBuilder()
                .setOpType("Sigmoid")
                .setName("sigmoid")
                .addInput(MARGIN_OUTPUT)
                .addOutput(PROBABILITY_OUTPUT)
                .build();
        GraphProto graph = GraphProto.newBuilder()
                .setName("xgboost_binary_classifier")
                .setDocString("XGBoost " + objective + ", " + treeCount + " trees; " + PROBABILITY_OUTPUT
                        + " = sigmoid(" + MARGIN_OUTPUT + ")")
                .addNode(trees)
                .addNode(sigmoid)
                .addInput(floatMatrix(INPUT, featureCount))
                .addOutput(floatMatrix(MARGIN_OUTPUT, 1))
                .addOutput(floatMatrix(PROBABILITY_OUTPUT, 1))
                .build();
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(ONNX_OPSET))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(ML_DOMAIN).setVersion(ML_OPSET))
                .setProducerName("mlplatform")
                .setProducerVersion("1")
                .setDomain("dev.mlplatform")
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("source").setValue("xgboost"))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("objective").setValue(objective))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("trees")
                        .setValue(String.valueOf(treeCount)))
                .setGraph(graph)
                .build();
    }

    /** The flat node and leaf lists of ONNX's tree ensemble attributes. */
    private static final class TreeEnsemble {
        final List<Long> treeIds = new ArrayList<>();
        final List<Long> nodeIds = new ArrayList<>();
        final List<Long> featureIds = new ArrayList<>();
        final List<Float> thresholds = new ArrayList<>();
        final List<String> modes = new ArrayList<>();
        final List<Long> trueIds = new ArrayList<>();
        final List<Long> falseIds = new ArrayList<>();
        final List<Long> missingTracksTrue = new ArrayList<>();
        final List<Long> leafTreeIds = new ArrayList<>();
        final List<Long> leafNodeIds = new ArrayList<>();
        final List<Long> leafTargetIds = new ArrayList<>();
        final List<Float> leafWeights = new ArrayList<>();

        void addTree(int treeId, JsonNode tree, int featureCount) {
            JsonNode left = tree.path("left_children");
            JsonNode right = tree.path("right_children");
            JsonNode splitFeatures = tree.path("split_indices");
            JsonNode conditions = tree.path("split_conditions");
            JsonNode defaultLeft = tree.path("default_left");
            JsonNode splitTypes = tree.path("split_type");
            // Walk from the root: nodes XGBoost pruned may remain in the arrays but are unreachable.
            Deque<Integer> pending = new ArrayDeque<>();
            pending.push(0);
            while (!pending.isEmpty()) {
                int node = pending.pop();
                float value = exactFloat(conditions.get(node));
                treeIds.add((long) treeId);
                nodeIds.add((long) node);
                int leftChild = left.get(node).asInt();
                if (leftChild == -1) {
                    featureIds.add(0L);
                    thresholds.add(0f);
                    modes.add("LEAF");
                    trueIds.add(0L);
                    falseIds.add(0L);
                    missingTracksTrue.add(0L);
                    // A leaf's split_condition holds its weight, learning rate already applied.
                    leafTreeIds.add((long) treeId);
                    leafNodeIds.add((long) node);
                    leafTargetIds.add(0L);
                    leafWeights.add(value);
                    continue;
                }
                if (splitTypes.size() > node && splitTypes.get(node).asInt() != 0) {
                    throw new IllegalArgumentException("tree " + treeId + " node " + node
                            + " is a categorical split: not supported");
                }
                int feature = splitFeatures.get(node).asInt();
                if (feature < 0 || feature >= featureCount) {
                    throw new IllegalArgumentException("tree " + treeId + " node " + node + " splits on feature "
                            + feature + " of " + featureCount);
                }
                int rightChild = right.get(node).asInt();
                featureIds.add((long) feature);
                thresholds.add(value);
                modes.add("BRANCH_LT");
                trueIds.add((long) leftChild);
                falseIds.add((long) rightChild);
                missingTracksTrue.add(defaultLeft.get(node).asInt() != 0 ? 1L : 0L);
                pending.push(rightChild);
                pending.push(leftChild);
            }
        }
    }

    private static float exactFloat(JsonNode number) {
        return Float.parseFloat(number.decimalValue().toString());
    }

    private static ValueInfoProto floatMatrix(String name, long columns) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(columns))
                .build();
        TypeProto type = TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape))
                .build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    private static AttributeProto ints(String name, List<Long> values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(values).build();
    }

    private static AttributeProto floats(String name, List<Float> values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS)
                .addAllFloats(values).build();
    }

    private static AttributeProto strings(String name, List<String> values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.STRINGS);
        values.forEach(value -> attribute.addStrings(ByteString.copyFrom(value, StandardCharsets.UTF_8)));
        return attribute.build();
    }

    private static AttributeProto string(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)).build();
    }
}
