package dev.mlplatform.featurestore.registry;

/** A view id is already registered with another definition: changing a view takes a new version. */
public final class FeatureViewConflictException extends IllegalStateException {

    public FeatureViewConflictException(FeatureView registered, FeatureView offered) {
        super("feature view " + offered.id() + " is already registered with another definition"
                + " (entity " + registered.entity().name() + ", features " + describe(registered)
                + ", ttl " + registered.ttl() + "); offered entity " + offered.entity().name() + ", features "
                + describe(offered) + ", ttl " + offered.ttl() + ". Register the change as version "
                + (registered.version() + 1) + " instead.");
    }

    private static String describe(FeatureView view) {
        return view.features().stream().map(f -> f.name() + ":" + f.type()).toList().toString();
    }
}
