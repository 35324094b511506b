package dev.mlplatform.featurestore.registry;

import dev.mlplatform.core.events.EventJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import tools.jackson.core.type.TypeReference;

/**
 * The feature views declared in code, with their definitions persisted in Postgres
 * ({@code featurestore.feature_views}) so that lineage, erasure and other processes can name them.
 *
 * <p>A view id ({@code name:vN}) stands for one definition forever: registering the same id with
 * other features, types, entity or TTL is refused, because training sets and model lineage already
 * refer to it. Owner and descriptions are metadata and may be updated in place.
 */
public final class FeatureRegistry {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final TypeReference<List<Feature>> FEATURE_LIST = new TypeReference<>() {
    };
    private static final String COLUMNS =
            "name, version, entity, features, ttl_millis, owner, description";

    private final DataSource dataSource;

    /** The schema must be migrated ({@code FeatureStore.migrate}). */
    public FeatureRegistry(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Registers the view, or confirms that it is registered with the same definition.
     *
     * @throws FeatureViewConflictException when the id is registered with another definition
     * @throws IllegalArgumentException when the view is not well formed
     */
    public FeatureView register(FeatureView view) {
        checkWellFormed(view);
        String entity = EventJson.MAPPER.writeValueAsString(view.entity());
        String features = EventJson.MAPPER.writeValueAsString(view.features());
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO featurestore.feature_views
                        (view_id, name, version, entity, features, ttl_millis, owner, description)
                    VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?)
                    ON CONFLICT (view_id) DO NOTHING""")) {
                insert.setString(1, view.id());
                insert.setString(2, view.name());
                insert.setInt(3, view.version());
                insert.setString(4, entity);
                insert.setString(5, features);
                insert.setLong(6, view.ttl().toMillis());
                insert.setString(7, view.owner());
                insert.setString(8, view.description());
                if (insert.executeUpdate() == 1) {
                    return view;
                }
            }
            FeatureView registered = find(c, view.id()).orElseThrow(() ->
                    new IllegalStateException("feature view " + view.id() + " vanished while registering"));
            if (!sameDefinition(registered, view)) {
                throw new FeatureViewConflictException(registered, view);
            }
            try (PreparedStatement update = c.prepareStatement("""
                    UPDATE featurestore.feature_views
                       SET entity = ?::jsonb, features = ?::jsonb, owner = ?, description = ?
                     WHERE view_id = ?
                       AND (entity, features, owner, description)
                           IS DISTINCT FROM (?::jsonb, ?::jsonb, ?, ?)""")) {
                update.setString(1, entity);
                update.setString(2, features);
                update.setString(3, view.owner());
                update.setString(4, view.description());
                update.setString(5, view.id());
                update.setString(6, entity);
                update.setString(7, features);
                update.setString(8, view.owner());
                update.setString(9, view.description());
                update.executeUpdate();
            }
            return view;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot register feature view " + view.id() + ": " + e.getMessage(), e);
        }
    }

    /** The registered view with this id ({@code name:vN}). */
    public Optional<FeatureView> find(String viewId) {
        try (Connection c = dataSource.getConnection()) {
            return find(c, viewId);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read feature view " + viewId + ": " + e.getMessage(), e);
        }
    }

    /** Every registered view (all versions) whose entity is named {@code entityName}. */
    public List<FeatureView> viewsOf(String entityName) {
        return query("SELECT " + COLUMNS + " FROM featurestore.feature_views WHERE entity_name = ?"
                + " ORDER BY name, version", entityName);
    }

    /** Every registered view, by name and version. */
    public List<FeatureView> all() {
        return query("SELECT " + COLUMNS + " FROM featurestore.feature_views ORDER BY name, version", null);
    }

    /**
     * Names are lower-case identifiers (they become Redis keys, SQL values and training columns),
     * features are unique, and the TTL is a positive whole number of milliseconds.
     */
    static void checkWellFormed(FeatureView view) {
        requireName("view name", view.name());
        if (view.version() < 1) {
            throw new IllegalArgumentException("feature view " + view.name() + ": version must be >= 1");
        }
        if (view.entity() == null) {
            throw new IllegalArgumentException("feature view " + view.id() + " has no entity");
        }
        requireName("entity name of " + view.id(), view.entity().name());
        if (view.features().isEmpty()) {
            throw new IllegalArgumentException("feature view " + view.id() + " has no features");
        }
        Set<String> seen = new HashSet<>();
        for (Feature feature : view.features()) {
            requireName("feature of " + view.id(), feature.name());
            if (feature.type() == null) {
                throw new IllegalArgumentException("feature " + view.id() + "." + feature.name() + " has no type");
            }
            if (!seen.add(feature.name())) {
                throw new IllegalArgumentException("feature view " + view.id() + " declares "
                        + feature.name() + " twice");
            }
        }
        Duration ttl = view.ttl();
        if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException("feature view " + view.id()
                    + ": ttl must be a positive whole number of milliseconds, got " + ttl);
        }
        Objects.requireNonNull(view.owner(), () -> "feature view " + view.id() + " has no owner");
        Objects.requireNonNull(view.description(), () -> "feature view " + view.id() + " has no description");
    }

    /** Same entity, same feature names and types in the same order, same TTL; descriptions may differ. */
    static boolean sameDefinition(FeatureView a, FeatureView b) {
        if (!a.id().equals(b.id()) || !a.ttl().equals(b.ttl())
                || !a.entity().name().equals(b.entity().name())
                || !Objects.equals(a.entity().joinKey(), b.entity().joinKey())
                || a.features().size() != b.features().size()) {
            return false;
        }
        for (int i = 0; i < a.features().size(); i++) {
            Feature fa = a.features().get(i);
            Feature fb = b.features().get(i);
            if (!fa.name().equals(fb.name()) || fa.type() != fb.type()) {
                return false;
            }
        }
        return true;
    }

    private static void requireName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must match " + NAME.pattern() + ", got '" + name + "'");
        }
    }

    private Optional<FeatureView> find(Connection c, String viewId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM featurestore.feature_views WHERE view_id = ?")) {
            select.setString(1, viewId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(view(rs)) : Optional.empty();
            }
        }
    }

    private List<FeatureView> query(String sql, String parameter) {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            if (parameter != null) {
                select.setString(1, parameter);
            }
            List<FeatureView> views = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    views.add(view(rs));
                }
            }
            return views;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read feature views: " + e.getMessage(), e);
        }
    }

    private static FeatureView view(ResultSet rs) throws SQLException {
        return new FeatureView(
                rs.getString("name"),
                rs.getInt("version"),
                EventJson.MAPPER.readValue(rs.getString("entity"), Entity.class),
                EventJson.MAPPER.readValue(rs.getString("features"), FEATURE_LIST),
                Duration.ofMillis(rs.getLong("ttl_millis")),
                rs.getString("owner"),
                rs.getString("description"));
    }
}
