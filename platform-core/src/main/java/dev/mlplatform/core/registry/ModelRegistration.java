package dev.mlplatform.core.registry;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a caller registers beside the artifact bytes.
 *
 * @param name    the model's name, the same for all its versions: lower case letters, digits, {@code . _ -}
 * @param format  how the artifact is read
 * @param metrics evaluation results (e.g. {@code auc_roc}), finite numbers
 * @param lineage what the model was made from
 */
public record ModelRegistration(String name, ModelFormat format, Map<String, Double> metrics, Lineage lineage) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    /** Whether a model may be called {@code name}: 1 to 100 lower-case letters, digits, {@code . _ -}. */
    public static boolean isValidName(String name) {
        return NAME.matcher(name).matches();
    }

    public ModelRegistration {
        Objects.requireNonNull(name, "name");
        if (!isValidName(name)) {
            throw new IllegalArgumentException("model name must match " + NAME.pattern() + ": '" + name + "'");
        }
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(lineage, "lineage");
        metrics = Map.copyOf(metrics);
        metrics.forEach((metric, value) -> {
            if (value == null || !Double.isFinite(value)) {
                throw new IllegalArgumentException("metric " + metric + " is not a finite number: " + value);
            }
        });
    }
}
