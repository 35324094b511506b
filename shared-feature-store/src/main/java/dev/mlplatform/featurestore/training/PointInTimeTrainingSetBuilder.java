package dev.mlplatform.featurestore.training;

import dev.mlplatform.featurestore.registry.Feature;
import dev.mlplatform.featurestore.registry.FeatureValues;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.featurestore.registry.ValueType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Builds training sets from the offline feature log without leaking the future: for each labelled
 * event and each view, the values of the latest log entry whose event time is strictly before the
 * event's timestamp and no older than the view's TTL (an entry exactly TTL old still counts);
 * otherwise the features are absent (null).
 *
 * <p>The join runs in Postgres: the events travel as arrays, unnested with their ordinal, and each
 * view is a {@code LEFT JOIN LATERAL} that walks the log's primary key backwards from the event
 * ({@code ORDER BY event_time DESC LIMIT 1}), one index probe per event and view in every partition.
 * Events go in chunks, so memory on both sides stays bounded by the chunk, not the training set.
 */
public final class PointInTimeTrainingSetBuilder {

    static final int EVENTS_PER_QUERY = 10_000;

    private final DataSource dataSource;
    private final int eventsPerQuery;

    public PointInTimeTrainingSetBuilder(DataSource dataSource) {
        this(dataSource, EVENTS_PER_QUERY);
    }

    PointInTimeTrainingSetBuilder(DataSource dataSource, int eventsPerQuery) {
        this.dataSource = dataSource;
        this.eventsPerQuery = eventsPerQuery;
    }

    /**
     * One training row per event, in the order of {@code events}.
     *
     * @param views views of one entity: the events' entity ids are that entity's ids
     */
    public TrainingSet build(List<LabelledEvent> events, List<FeatureView> views) {
        checkViews(views);
        List<String> featureColumns = new ArrayList<>();
        List<ValueType> featureTypes = new ArrayList<>();
        for (FeatureView view : views) {
            for (Feature feature : view.features()) {
                featureColumns.add(view.name() + "__" + feature.name());
                featureTypes.add(feature.type());
            }
        }
        List<String> extraColumns = events.isEmpty() ? List.of() : List.copyOf(events.get(0).extras().keySet());
        List<TrainingSet.Row> rows = new ArrayList<>(events.size());
        String sql = query(views);
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            for (int from = 0; from < events.size(); from += eventsPerQuery) {
                List<LabelledEvent> chunk = events.subList(from, Math.min(events.size(), from + eventsPerQuery));
                rows.addAll(joinChunk(c, select, chunk, views));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot build the training set: " + e.getMessage(), e);
        }
        return new TrainingSet(views.stream().map(FeatureView::id).toList(), featureColumns, featureTypes,
                extraColumns, rows);
    }

    /** The query for these views; its parameters: entity ids, timestamps, then (view id, ttl ms) per view. */
    static String query(List<FeatureView> views) {
        StringBuilder sql = new StringBuilder("SELECT e.ordinal");
        for (int v = 0; v < views.size(); v++) {
            sql.append(", f").append(v).append(".feature_values::text");
        }
        sql.append("\n  FROM unnest(?::text[], ?::text[]::timestamptz[]) WITH ORDINALITY AS e(entity_id, event_ts, ordinal)");
        for (int v = 0; v < views.size(); v++) {
            sql.append("""
                    
                      LEFT JOIN LATERAL (
                           SELECT l.feature_values FROM featurestore.feature_log l
                            WHERE l.view_id = ? AND l.entity_id = e.entity_id
                              AND l.event_time < e.event_ts
                              AND l.event_time >= e.event_ts - ?::bigint * interval '1 millisecond'
                            ORDER BY l.event_time DESC
                            LIMIT 1) f%d ON true""".formatted(v));
        }
        return sql.append("\n ORDER BY e.ordinal").toString();
    }

    private static List<TrainingSet.Row> joinChunk(Connection c, PreparedStatement select, List<LabelledEvent> chunk,
                                                   List<FeatureView> views) throws SQLException {
        String[] entityIds = new String[chunk.size()];
        String[] timestamps = new String[chunk.size()];
        for (int i = 0; i < chunk.size(); i++) {
            entityIds[i] = chunk.get(i).entityId();
            // The log keeps whole (truncated) microseconds, so instants within one microsecond cannot be
            // ordered: truncating the event too counts them as not-before, which never leaks.
            timestamps[i] = FeatureValues.storedEventTime(chunk.get(i).timestamp()).toString();
        }
        int parameter = 1;
        select.setArray(parameter++, c.createArrayOf("text", entityIds));
        select.setArray(parameter++, c.createArrayOf("text", timestamps));
        for (FeatureView view : views) {
            select.setString(parameter++, view.id());
            select.setLong(parameter++, view.ttl().toMillis());
        }
        List<TrainingSet.Row> rows = new ArrayList<>(chunk.size());
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                LabelledEvent event = chunk.get(rs.getInt(1) - 1);
                List<Object> features = new ArrayList<>();
                for (int v = 0; v < views.size(); v++) {
                    FeatureView view = views.get(v);
                    String json = rs.getString(2 + v);
                    Map<String, Object> values = json == null ? Map.of() : FeatureValues.fromJson(view, json);
                    for (String name : view.featureNames()) {
                        features.add(values.get(name));
                    }
                }
                rows.add(new TrainingSet.Row(event.entityId(), event.timestamp(), event.label(), event.extras(),
                        Collections.unmodifiableList(Arrays.asList(features.toArray()))));
            }
        }
        if (rows.size() != chunk.size()) {
            throw new IllegalStateException("point-in-time join returned " + rows.size() + " rows for "
                    + chunk.size() + " events");
        }
        return rows;
    }

    private static void checkViews(List<FeatureView> views) {
        if (views.isEmpty()) {
            throw new IllegalArgumentException("a training set needs at least one feature view");
        }
        String entity = views.get(0).entity().name();
        Set<String> names = new HashSet<>();
        for (FeatureView view : views) {
            if (!view.entity().name().equals(entity)) {
                throw new IllegalArgumentException("feature views of one training set must share an entity: "
                        + views.get(0).id() + " is of " + entity + ", " + view.id() + " of " + view.entity().name());
            }
            if (!names.add(view.name())) {
                throw new IllegalArgumentException("feature view " + view.name()
                        + " appears twice (two versions would produce the same column names)");
            }
        }
    }
}
