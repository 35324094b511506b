package dev.mlplatform.core.inference;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Small ONNX graphs whose outputs the tests can compute by hand. */
public final class TestOnnxModels {

    private TestOnnxModels() {
    }

    /** {@code score = sigmoid(x · weights + bias)}, output {@code score} of shape [N, 1]. */
    public static byte[] logisticRegression(float[] weights, float bias) {
        TensorProto w = TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT.getNumber())
                .addDims(weights.length).addDims(1).addAllFloatData(boxed(weights)).build();
        TensorProto b = TensorProto.newBuilder().setName("b").setDataType(TensorProto.DataType.FLOAT.getNumber())
                .addDims(1).addFloatData(bias).build();
        GraphProto graph = GraphProto.newBuilder().setName("logistic")
                .addInitializer(w).addInitializer(b)
                .addNode(NodeProto.newBuilder().setOpType("Gemm").addInput("x").addInput("w").addInput("b")
                        .addOutput("logit"))
                .addNode(NodeProto.newBuilder().setOpType("Sigmoid").addInput("logit").addOutput("score"))
                .addInput(floatTensor("x", weights.length))
                .addOutput(floatTensor("logit", 1))
                .addOutput(floatTensor("score", 1))
                .build();
        return model(graph);
    }

    /** Passes {@code [N, 2]} class probabilities through: output {@code probabilities} [N, 2]. */
    public static byte[] twoClassProbabilities() {
        GraphProto graph = GraphProto.newBuilder().setName("identity")
                .addNode(NodeProto.newBuilder().setOpType("Identity").addInput("x").addOutput("probabilities"))
                .addInput(floatTensor("x", 2))
                .addOutput(floatTensor("probabilities", 2))
                .build();
        return model(graph);
    }

    /** Turns {@code [N, 2]} probabilities into a sequence of maps label → probability (ZipMap). */
    public static byte[] zipMapProbabilities(List<Long> intLabels, List<String> stringLabels) {
        NodeProto.Builder zipMap = NodeProto.newBuilder().setOpType("ZipMap").setDomain("ai.onnx.ml")
                .addInput("x").addOutput("probabilities");
        TypeProto.Map.Builder mapType = TypeProto.Map.newBuilder()
                .setValueType(TypeProto.newBuilder().setTensorType(
                        TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber())));
        if (intLabels != null) {
            zipMap.addAttribute(AttributeProto.newBuilder().setName("classlabels_int64s")
                    .setType(AttributeProto.AttributeType.INTS).addAllInts(intLabels));
            mapType.setKeyType(TensorProto.DataType.INT64.getNumber());
        } else {
            AttributeProto.Builder labels = AttributeProto.newBuilder().setName("classlabels_strings")
                    .setType(AttributeProto.AttributeType.STRINGS);
            stringLabels.forEach(label -> labels.addStrings(ByteString.copyFrom(label, StandardCharsets.UTF_8)));
            zipMap.addAttribute(labels);
            mapType.setKeyType(TensorProto.DataType.STRING.getNumber());
        }
        ValueInfoProto output = ValueInfoProto.newBuilder().setName("probabilities")
                .setType(TypeProto.newBuilder().setSequenceType(TypeProto.Sequence.newBuilder()
                        .setElemType(TypeProto.newBuilder().setMapType(mapType))))
                .build();
        GraphProto graph = GraphProto.newBuilder().setName("zipmap")
                .addNode(zipMap)
                .addInput(floatTensor("x", 2))
                .addOutput(output)
                .build();
        return model(graph);
    }

    private static byte[] model(GraphProto graph) {
        return ModelProto.newBuilder()
                .setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(3))
                .setProducerName("platform-core-tests")
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    private static ValueInfoProto floatTensor(String name, long columns) {
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT.getNumber())
                        .setShape(TensorShapeProto.newBuilder()
                                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(columns)))))
                .build();
    }

    private static List<Float> boxed(float[] values) {
        Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return List.of(boxed);
    }
}
