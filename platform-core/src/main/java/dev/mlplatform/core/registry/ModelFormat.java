package dev.mlplatform.core.registry;

/** How an artifact's bytes are to be read, which decides the runtime that serves it. */
public enum ModelFormat {
    /** An ONNX model, served by ONNX Runtime. */
    ONNX,
    /** A TorchScript module, served by DJL's PyTorch engine. */
    TORCHSCRIPT,
    /** XGBoost's own JSON model, kept beside its ONNX export to retrain or re-export. */
    XGBOOST_JSON,
    /** A HuggingFace {@code tokenizer.json}. */
    TOKENIZER_JSON
}
