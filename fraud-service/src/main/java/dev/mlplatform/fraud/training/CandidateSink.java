package dev.mlplatform.fraud.training;

import dev.mlplatform.core.registry.ModelRegistration;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelVersion;

/**
 * Where a trained model is registered as a candidate: the platform's registry, reached from the command line
 * ({@link CandidateRegistry}, from the environment) or from the running service (its own registry).
 */
public interface CandidateSink {

    /** Stores the artifact and registers it with its metrics and lineage, in stage {@code REGISTERED}. */
    ModelVersion register(ModelRegistration registration, byte[] onnx);

    /** Where the models go, for messages. */
    String where();

    /** The service's registry. */
    static CandidateSink of(ModelRegistry registry, String where) {
        return new CandidateSink() {
            @Override
            public ModelVersion register(ModelRegistration registration, byte[] onnx) {
                return registry.register(registration, onnx);
            }

            @Override
            public String where() {
                return where;
            }
        };
    }
}
