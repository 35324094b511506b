package dev.mlplatform.jobs.common;

import dev.mlplatform.featurestore.FeatureStoreConnection;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.util.ParameterTool;
import org.apache.flink.util.TimeUtils;

/**
 * A job's settings, from command-line arguments ({@code --bootstrap-servers host:9092}) or else environment
 * variables ({@code KAFKA_BOOTSTRAP_SERVERS}), else defaults for this machine. Durations read as {@code 5s},
 * {@code 500ms}, {@code 1min}. A value that cannot be read names its argument and its variable.
 */
public final class JobSettings {

    private final ParameterTool params;
    private final Map<String, String> env;

    private JobSettings(ParameterTool params, Map<String, String> env) {
        this.params = params;
        this.env = env;
    }

    public static JobSettings of(String[] args, Map<String, String> env) {
        return new JobSettings(ParameterTool.fromArgs(args), env);
    }

    /** Kafka: {@code --bootstrap-servers} or {@code KAFKA_BOOTSTRAP_SERVERS}, else {@code localhost:9092}. */
    public String bootstrapServers() {
        return text("bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
    }

    /**
     * The feature store: {@code --redis-uri}, {@code --jdbc-url}, {@code --jdbc-user}, {@code --jdbc-password}
     * (or {@code REDIS_URI}, {@code JDBC_URL}, {@code JDBC_USER}, {@code JDBC_PASSWORD}), else Redis and the
     * {@code mlplatform} database on this machine.
     */
    public FeatureStoreConnection featureStore() {
        return new FeatureStoreConnection(
                text("redis-uri", "REDIS_URI", "redis://127.0.0.1:6379/0"),
                text("jdbc-url", "JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/mlplatform"),
                text("jdbc-user", "JDBC_USER", "postgres"),
                text("jdbc-password", "JDBC_PASSWORD", ""));
    }

    public String text(String arg, String variable, String fallback) {
        if (params.has(arg)) {
            return params.get(arg);
        }
        String value = env.get(variable);
        return value == null || value.isBlank() ? fallback : value;
    }

    public Duration duration(String arg, String variable, Duration fallback) {
        String text = text(arg, variable, null);
        if (text == null) {
            return fallback;
        }
        try {
            return TimeUtils.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + arg + " (or " + variable + "): not a duration such as 5s, "
                    + "500ms or 1min: '" + text + "'", e);
        }
    }

    public int integer(String arg, String variable, int fallback) {
        String text = text(arg, variable, Integer.toString(fallback));
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + arg + " (or " + variable + "): not a whole number: '"
                    + text + "'", e);
        }
    }

    public static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
    }

    public static Duration requireNotNegative(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " cannot be negative, got " + duration);
        }
        return duration;
    }

    public static Duration requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
        return duration;
    }

    public static int requireParallelism(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        return parallelism;
    }
}
