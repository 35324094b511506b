package dev.mlplatform.core.registry;

import dev.mlplatform.core.db.Databases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model registry: versions of each model with their metrics and lineage in Postgres (schema
 * {@value #SCHEMA}), their artifacts in an {@link ArtifactStore}, their stage and its audit trail.
 *
 * <p>Every change to one model runs in one transaction that first locks that model's row in
 * {@code registry.models}: concurrent registrations get distinct versions, and a promotion or a
 * rollback archives the old production version and installs the new one atomically. A partial
 * unique index guarantees one production version per model even against other writers.
 *
 * <p>The artifact is stored before the metadata row is written; should the transaction fail, the
 * orphan file is harmless (content-addressed, reused by the next registration of the same bytes).
 */
public final class ModelRegistry {

    /** The Postgres schema this registry owns, migrated from {@code classpath:db/registry}. */
    public static final String SCHEMA = "registry";

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() { };
    private static final TypeReference<Map<String, String>> PARAMS = new TypeReference<>() { };
    private static final TypeReference<List<FeatureViewRef>> FEATURE_VIEWS = new TypeReference<>() { };

    private static final String VERSION_COLUMNS = "name, version, format, artifact_sha256, artifact_size, metrics, "
            + "training_data_id, training_data_sha256, feature_views, code_version, params, stage, "
            + "registered_at, stage_changed_at";

    private final DataSource dataSource;
    private final ArtifactStore artifacts;
    private final Clock clock;
    private final List<ModelLifecycleListener> listeners = new CopyOnWriteArrayList<>();

    public ModelRegistry(DataSource dataSource, ArtifactStore artifacts) {
        this(dataSource, artifacts, Clock.systemUTC());
    }

    public ModelRegistry(DataSource dataSource, ArtifactStore artifacts, Clock clock) {
        this.dataSource = dataSource;
        this.artifacts = artifacts;
        this.clock = clock;
    }

    /** Creates or upgrades the registry's tables in {@code dataSource}'s database. */
    public static void migrate(DataSource dataSource) {
        Databases.migrate(dataSource, SCHEMA);
    }

    /** Adds a listener told of every change this registry makes, after it committed. */
    public void subscribe(ModelLifecycleListener listener) {
        listeners.add(listener);
    }

    public ArtifactStore artifacts() {
        return artifacts;
    }

    /** Registers a new version of {@code registration.name()} with the artifact {@code artifact}. */
    public ModelVersion register(ModelRegistration registration, byte[] artifact) {
        return register(registration, artifacts.put(artifact));
    }

    /** Registers a new version with the artifact in the file {@code artifact} (streamed, not loaded). */
    public ModelVersion register(ModelRegistration registration, Path artifact) {
        return register(registration, artifacts.put(artifact));
    }

    private ModelVersion register(ModelRegistration registration, ArtifactStore.StoredArtifact stored) {
        Instant now = now();
        String name = registration.name();
        ModelVersion registered = inTransaction("register " + name, connection -> {
            execute(connection, "INSERT INTO registry.models (name, latest_version, created_at) VALUES (?, 0, ?) "
                    + "ON CONFLICT (name) DO NOTHING", name, timestamp(now));
            // The row lock taken here serialises registrations of one name until commit.
            int version;
            try (PreparedStatement next = connection.prepareStatement(
                    "UPDATE registry.models SET latest_version = latest_version + 1 WHERE name = ? "
                            + "RETURNING latest_version")) {
                next.setString(1, name);
                try (ResultSet rs = next.executeQuery()) {
                    rs.next();
                    version = rs.getInt(1);
                }
            }
            Lineage lineage = registration.lineage();
            execute(connection, "INSERT INTO registry.model_versions (" + VERSION_COLUMNS + ") "
                            + "VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?)",
                    name, version, registration.format().name(), stored.sha256(), stored.sizeBytes(),
                    JSON.writeValueAsString(registration.metrics()), lineage.trainingDataId(),
                    lineage.trainingDataSha256(), JSON.writeValueAsString(lineage.featureViews()),
                    lineage.codeVersion(), JSON.writeValueAsString(lineage.params()),
                    ModelStage.REGISTERED.name(), timestamp(now), timestamp(now));
            recordStageChange(connection, name, version, null, ModelStage.REGISTERED, "registered", now);
            return new ModelVersion(name, version, registration.format(), stored.sha256(), stored.sizeBytes(),
                    registration.metrics(), lineage, ModelStage.REGISTERED, now, now);
        });
        publish(new ModelRegistered(name, registered.version(), registered.format(), registered.artifactSha256(),
                now));
        return registered;
    }

    /**
     * Puts {@code version} into production. The current production version, if any, is archived in
     * the same transaction and remembered as the target of a later {@link #rollback}.
     *
     * @throws NoSuchElementException when the version does not exist
     * @throws IllegalStateException  when it already is in production
     */
    public ModelPromoted promote(String name, int version, String reason) {
        Instant now = now();
        ModelPromoted promoted = inTransaction("promote " + name + ":" + version, connection -> {
            lockModel(connection, name);
            ModelStage stage = stageOf(connection, name, version);
            if (stage == ModelStage.PRODUCTION) {
                throw new IllegalStateException(name + ":" + version + " is already in production");
            }
            OptionalInt current = productionVersion(connection, name);
            if (current.isPresent()) {
                changeStage(connection, name, current.getAsInt(), ModelStage.PRODUCTION, ModelStage.ARCHIVED,
                        "replaced by version " + version, now);
            }
            changeStage(connection, name, version, stage, ModelStage.PRODUCTION, reason, now);
            execute(connection, "UPDATE registry.model_versions SET promoted_over = ? WHERE name = ? AND version = ?",
                    current.isPresent() ? current.getAsInt() : null, name, version);
            return new ModelPromoted(name, version, current, now);
        });
        publish(promoted);
        return promoted;
    }

    /**
     * Restores the version that the current production version replaced when it was promoted; the
     * current one is archived. Rolling back again goes one further step back.
     *
     * @throws NoSuchElementException when the model does not exist
     * @throws IllegalStateException  when there is no production version or nothing before it
     */
    public ModelRolledBack rollback(String name, String reason) {
        Instant now = now();
        ModelRolledBack rolledBack = inTransaction("roll back " + name, connection -> {
            lockModel(connection, name);
            int current = productionVersion(connection, name).orElseThrow(
                    () -> new IllegalStateException(name + " has no production version to roll back"));
            Integer previous;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT promoted_over FROM registry.model_versions WHERE name = ? AND version = ?")) {
                select.setString(1, name);
                select.setInt(2, current);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    previous = (Integer) rs.getObject(1);
                }
            }
            if (previous == null) {
                throw new IllegalStateException(name + ":" + current + " replaced no earlier production version");
            }
            ModelStage previousStage = stageOf(connection, name, previous);
            changeStage(connection, name, current, ModelStage.PRODUCTION, ModelStage.ARCHIVED,
                    "rolled back to version " + previous + ": " + reason, now);
            changeStage(connection, name, previous, previousStage, ModelStage.PRODUCTION,
                    "rollback from version " + current + ": " + reason, now);
            return new ModelRolledBack(name, current, previous, now);
        });
        publish(rolledBack);
        return rolledBack;
    }

    /**
     * Moves a version to a stage other than production (shadow, canary, archived, back to
     * registered). Production changes only through {@link #promote} and {@link #rollback}, so that
     * the one-production invariant and the rollback chain stay whole.
     *
     * @throws IllegalArgumentException when {@code target} is {@link ModelStage#PRODUCTION}
     * @throws IllegalStateException    when the version is in production or already in {@code target}
     */
    public ModelStageChanged moveToStage(String name, int version, ModelStage target, String reason) {
        if (target == ModelStage.PRODUCTION) {
            throw new IllegalArgumentException("use promote() to put a version into production");
        }
        Instant now = now();
        ModelStageChanged changed = inTransaction("move " + name + ":" + version + " to " + target, connection -> {
            lockModel(connection, name);
            ModelStage stage = stageOf(connection, name, version);
            if (stage == ModelStage.PRODUCTION) {
                throw new IllegalStateException(name + ":" + version
                        + " is in production: promote another version or roll back instead");
            }
            if (stage == target) {
                throw new IllegalStateException(name + ":" + version + " is already " + target);
            }
            changeStage(connection, name, version, stage, target, reason, now);
            return new ModelStageChanged(name, version, stage, target, now);
        });
        publish(changed);
        return changed;
    }

    /** Every version of {@code name}, oldest first; empty when the model is unknown. */
    public List<ModelVersion> versions(String name) {
        return query("list versions of " + name, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + VERSION_COLUMNS
                    + " FROM registry.model_versions WHERE name = ? ORDER BY version")) {
                select.setString(1, name);
                return readVersions(select);
            }
        });
    }

    public Optional<ModelVersion> version(String name, int version) {
        return query("read " + name + ":" + version, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + VERSION_COLUMNS
                    + " FROM registry.model_versions WHERE name = ? AND version = ?")) {
                select.setString(1, name);
                select.setInt(2, version);
                return readVersions(select).stream().findFirst();
            }
        });
    }

    /** The version of {@code name} in production, if any. */
    public Optional<ModelVersion> production(String name) {
        return query("read production " + name, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + VERSION_COLUMNS
                    + " FROM registry.model_versions WHERE name = ? AND stage = 'PRODUCTION'")) {
                select.setString(1, name);
                return readVersions(select).stream().findFirst();
            }
        });
    }

    /** The versions of {@code name} in {@code stage}, oldest first. */
    public List<ModelVersion> inStage(String name, ModelStage stage) {
        return query("list " + stage + " versions of " + name, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + VERSION_COLUMNS
                    + " FROM registry.model_versions WHERE name = ? AND stage = ? ORDER BY version")) {
                select.setString(1, name);
                select.setString(2, stage.name());
                return readVersions(select);
            }
        });
    }

    /** The names of all registered models, sorted. */
    public List<String> modelNames() {
        return query("list models", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT name FROM registry.models ORDER BY name");
                 ResultSet rs = select.executeQuery()) {
                List<String> names = new ArrayList<>();
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
                return names;
            }
        });
    }

    /** The audit trail of {@code name}: every stage change of every version, oldest first. */
    public List<StageChange> history(String name) {
        return query("read history of " + name, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT name, version, from_stage, to_stage, reason, changed_at FROM registry.stage_history "
                            + "WHERE name = ? ORDER BY id")) {
                select.setString(1, name);
                try (ResultSet rs = select.executeQuery()) {
                    List<StageChange> changes = new ArrayList<>();
                    while (rs.next()) {
                        String from = rs.getString(3);
                        changes.add(new StageChange(rs.getString(1), rs.getInt(2),
                                from == null ? null : ModelStage.valueOf(from), ModelStage.valueOf(rs.getString(4)),
                                rs.getString(5), rs.getObject(6, OffsetDateTime.class).toInstant()));
                    }
                    return changes;
                }
            }
        });
    }

    /** The artifact's bytes, verified against its digest. */
    public byte[] artifact(ModelVersion version) {
        return artifacts.read(version.artifactSha256());
    }

    /** The artifact's file, verified against its digest, for runtimes that load from a path. */
    public Path artifactPath(ModelVersion version) {
        return artifacts.verifiedPath(version.artifactSha256());
    }

    private void lockModel(Connection connection, String name) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT 1 FROM registry.models WHERE name = ? FOR UPDATE")) {
            lock.setString(1, name);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next()) {
                    throw new NoSuchElementException("no model named " + name);
                }
            }
        }
    }

    private static ModelStage stageOf(Connection connection, String name, int version) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT stage FROM registry.model_versions WHERE name = ? AND version = ?")) {
            select.setString(1, name);
            select.setInt(2, version);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new NoSuchElementException("no version " + version + " of model " + name);
                }
                return ModelStage.valueOf(rs.getString(1));
            }
        }
    }

    private static OptionalInt productionVersion(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT version FROM registry.model_versions WHERE name = ? AND stage = 'PRODUCTION'")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? OptionalInt.of(rs.getInt(1)) : OptionalInt.empty();
            }
        }
    }

    private static void changeStage(Connection connection, String name, int version, ModelStage from,
                                    ModelStage to, String reason, Instant now) throws SQLException {
        execute(connection, "UPDATE registry.model_versions SET stage = ?, stage_changed_at = ? "
                + "WHERE name = ? AND version = ?", to.name(), timestamp(now), name, version);
        recordStageChange(connection, name, version, from, to, reason, now);
    }

    private static void recordStageChange(Connection connection, String name, int version, ModelStage from,
                                          ModelStage to, String reason, Instant now) throws SQLException {
        execute(connection, "INSERT INTO registry.stage_history (name, version, from_stage, to_stage, reason, "
                        + "changed_at) VALUES (?, ?, ?, ?, ?, ?)",
                name, version, from == null ? null : from.name(), to.name(),
                reason == null || reason.isBlank() ? to.name().toLowerCase() : reason, timestamp(now));
    }

    private static List<ModelVersion> readVersions(PreparedStatement select) throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            List<ModelVersion> versions = new ArrayList<>();
            while (rs.next()) {
                Lineage lineage = new Lineage(rs.getString("training_data_id"), rs.getString("training_data_sha256"),
                        JSON.readValue(rs.getString("feature_views"), FEATURE_VIEWS),
                        rs.getString("code_version"), JSON.readValue(rs.getString("params"), PARAMS));
                versions.add(new ModelVersion(rs.getString("name"), rs.getInt("version"),
                        ModelFormat.valueOf(rs.getString("format")), rs.getString("artifact_sha256"),
                        rs.getLong("artifact_size"), JSON.readValue(rs.getString("metrics"), METRICS), lineage,
                        ModelStage.valueOf(rs.getString("stage")), rs.getObject("registered_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("stage_changed_at", OffsetDateTime.class).toInstant()));
            }
            return versions;
        }
    }

    private static void execute(Connection connection, String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
        }
    }

    private void publish(ModelLifecycleEvent event) {
        for (ModelLifecycleListener listener : listeners) {
            try {
                listener.on(event);
            } catch (RuntimeException e) {
                log.warn("model lifecycle listener {} failed on {}", listener, event, e);
            }
        }
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** Postgres keeps microseconds: truncating here makes returned values equal to re-read ones. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private <T> T inTransaction(String what, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new ModelRegistryException("model registry: cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private <T> T query(String what, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new ModelRegistryException("model registry: cannot " + what + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
