package dev.mlplatform.core.registry;

/** How an artifact's bytes are to be read, which decides the runtime that serves it. */
public enum ModelFormat {
    /** An ONNX model, served by ONNX Runtime. */
    ONNX,
    /** A TorchScript module, served by DJL's PyTorch engine. */
    TORCHSCRIPT,
    /** XGBoost's own JSON model, kept beside its ONNX export to retrain or re-export. */
    XGBOOST_JSON,
    /** One dense vector per item (recsys-models {@code ItemVectors}): what nearest-neighbour retrieval indexes. */
    ITEM_VECTORS,
    /** Each item's top-k weighted neighbours (recsys-models {@code ItemNeighbours}): an item-item model. */
    ITEM_NEIGHBOURS,
    /** Item vectors and a user tower (recsys-models {@code TwoTowerModel}): embedding retrieval. */
    TWO_TOWER,
    /** A weight per recommendation source (recsys-models {@code BlendWeights}): a learnt linear ranker. */
    BLEND_WEIGHTS,
    /** A HuggingFace {@code tokenizer.json}. */
    TOKENIZER_JSON
}
