package dev.mlplatform.recsys.serving;

import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.recsys.model.ItemNeighbours;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production version of the item-item model, as the registry has it: loaded at start and whenever the
 * registry's production version changes (a nightly retrain, a promotion, a rollback), swapped atomically so a
 * request sees the old model or the new one, never a mix.
 */
public final class ServingNeighbours implements Supplier<NeighbourModel> {

    private static final Logger log = LoggerFactory.getLogger(ServingNeighbours.class);

    private final ModelRegistry registry;
    private final String modelName;
    private final AtomicReference<NeighbourModel> current = new AtomicReference<>(NeighbourModel.NONE);

    public ServingNeighbours(ModelRegistry registry, String modelName) {
        this.registry = registry;
        this.modelName = modelName;
    }

    @Override
    public NeighbourModel get() {
        return current.get();
    }

    /** Loads the production version when it is not the one serving; returns whether it changed. */
    public boolean refresh() {
        Optional<ModelVersion> production = registry.production(modelName);
        if (production.isEmpty()) {
            return false;
        }
        String version = modelName + ":" + production.get().version();
        if (version.equals(current.get().version())) {
            return false;
        }
        try {
            byte[] artifact = registry.artifact(production.get());
            ItemNeighbours neighbours = ItemNeighbours.read(new ByteArrayInputStream(artifact));
            current.set(new NeighbourModel(version, neighbours));
            log.info("serving {} ({} items)", version, neighbours.items());
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the artifact of " + version, e);
        }
    }
}
