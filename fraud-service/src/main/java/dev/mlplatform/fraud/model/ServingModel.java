package dev.mlplatform.fraud.model;

import dev.mlplatform.core.rollout.NoServingModelException;
import dev.mlplatform.core.rollout.SwappableModel;
import dev.mlplatform.fraud.scoring.ModelScores;
import dev.mlplatform.fraud.scoring.ModelUnavailableException;
import dev.mlplatform.fraud.scoring.RiskModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * The model in service, hot-swappable: a batch is scored by one whole model version, and a swap
 * never fails a request in flight (the old session closes after its last request). Publishes
 * {@code fraud.model.serving{version=…}} = 1 for the version in service. The canary and the shadow
 * are served the same way, each by its own instance with its own gauge, and can be retired.
 */
public final class ServingModel implements RiskModel, AutoCloseable {

    private final SwappableModel<LoadedModel> holder = SwappableModel.empty();
    private final MultiGauge servingGauge;

    public ServingModel(MeterRegistry meters) {
        this(meters, "fraud.model.serving", "1 for the model version in service");
    }

    /** A model slot whose version is published as {@code gaugeName{version=…}} = 1, e.g. the canary's. */
    public ServingModel(MeterRegistry meters, String gaugeName, String description) {
        this.servingGauge = MultiGauge.builder(gaugeName)
                .description(description)
                .register(meters);
    }

    @Override
    public ModelScores score(float[][] rows) {
        try {
            return holder.apply((model, version) ->
                    new ModelScores(model.predictor().predict(rows), version, model.signals()));
        } catch (NoServingModelException e) {
            throw new ModelUnavailableException("no fraud model is loaded yet: " + e.getMessage());
        }
    }

    @Override
    public String version() {
        return holder.version().orElse(null);
    }

    /** Puts {@code model} in service as {@code version}; requests already running finish on the old one. */
    void swap(String version, LoadedModel model) {
        holder.swap(version, model);
        servingGauge.register(List.of(MultiGauge.Row.of(Tags.of("version", version), 1)), true);
    }

    /** Takes the model out of service; requests already running finish on it, later ones get {@link ModelUnavailableException}. */
    void retire() {
        holder.retire();
        servingGauge.register(List.of(), true);
    }

    @Override
    public void close() {
        holder.close();
    }
}
