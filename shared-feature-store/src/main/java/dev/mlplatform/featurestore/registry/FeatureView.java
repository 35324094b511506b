package dev.mlplatform.featurestore.registry;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * A named, versioned group of features of one entity, declared once and used by the job that writes
 * it, the service that reads it and the builder of training sets. Values older than {@code ttl} are
 * treated as absent. A new version is a new view: readers move to it explicitly, and rolling back is
 * reading the old version again.
 */
public record FeatureView(String name, int version, Entity entity, List<Feature> features, Duration ttl,
                          String owner, String description) implements Serializable {

    public FeatureView {
        features = List.copyOf(features);
    }

    /** {@code name:vN}, the view's identity in stores and lineage. */
    public String id() {
        return name + ":v" + version;
    }

    public List<String> featureNames() {
        return features.stream().map(Feature::name).toList();
    }

    /**
     * From the identity alone: views key the maps of every feature read, and the record's own hash walks every
     * feature of the definition each time. Equal views have equal ids, so equality is unchanged.
     */
    @Override
    public int hashCode() {
        return 31 * name.hashCode() + version;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FeatureView view && version == view.version && name.equals(view.name)
                && entity.equals(view.entity) && features.equals(view.features) && ttl.equals(view.ttl)
                && owner.equals(view.owner) && description.equals(view.description);
    }
}
