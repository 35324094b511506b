package dev.mlplatform.recsys.serving;

import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelVersion;
import java.io.IOException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production version of one registered model, as the registry has it: loaded at start and whenever the
 * registry's production version changes (a nightly retrain, a promotion, a rollback), swapped atomically so that
 * a request sees the old model or the new one, never a mix. The old one is left to the garbage collector: the
 * models here live on the heap only, and a request may still be reading it.
 */
public final class ProductionModel<T> implements Supplier<ServedModel<T>> {

    /** Turns an artifact into the model that serves (which may mean building an index over it). */
    @FunctionalInterface
    public interface Loader<T> {
        T load(byte[] artifact) throws IOException;
    }

    private static final Logger log = LoggerFactory.getLogger(ProductionModel.class);

    private final ModelRegistry registry;
    private final String modelName;
    private final Loader<T> loader;
    private final AtomicReference<ServedModel<T>> current;
    private final MultiGauge serving;

    /** Publishes {@code recs.model.serving{model, version}}: 1 for the version in service, {@code none} 0 before. */
    public ProductionModel(ModelRegistry registry, String modelName, Loader<T> loader, MeterRegistry meters) {
        this.registry = registry;
        this.modelName = modelName;
        this.loader = loader;
        this.current = new AtomicReference<>(ServedModel.none());
        this.serving = MultiGauge.builder("recs.model.serving")
                .description("1 for the registry version each model serves; version none is 0 until one is in "
                        + "production")
                .register(meters);
        serving.register(List.of(MultiGauge.Row.of(Tags.of("model", modelName, "version", "none"), 0)), true);
    }

    @Override
    public ServedModel<T> get() {
        return current.get();
    }

    /** Loads the production version when it is not the one serving; returns whether it changed. */
    public boolean refresh() {
        Optional<ModelVersion> production = registry.production(modelName);
        if (production.isEmpty()) {
            return false;
        }
        String version = production.get().reference();
        if (version.equals(current.get().version())) {
            return false;
        }
        long started = System.nanoTime();
        try {
            T model = loader.load(registry.artifact(production.get()));
            current.set(new ServedModel<>(version, model));
            serving.register(List.of(MultiGauge.Row.of(Tags.of("model", modelName, "version", version), 1)), true);
            log.info("serving {} (loaded in {} ms)", version, (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the artifact of " + version, e);
        }
    }
}
