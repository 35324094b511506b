package dev.mlplatform.core.registry;

/**
 * Told of every registry change made through this process's {@link ModelRegistry}, after commit.
 * A listener that throws is logged and does not undo the change.
 */
@FunctionalInterface
public interface ModelLifecycleListener {

    void on(ModelLifecycleEvent event);
}
