package dev.mlplatform.recsys.serving;

/**
 * A model serving a source, with the registry version it came from.
 *
 * @param version name:version in the model registry; both null before any version is in production
 */
public record ServedModel<T>(String version, T model) {

    public static <T> ServedModel<T> none() {
        return new ServedModel<>(null, null);
    }

    public boolean present() {
        return model != null;
    }
}
