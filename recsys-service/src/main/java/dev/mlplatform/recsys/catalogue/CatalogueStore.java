package dev.mlplatform.recsys.catalogue;

import dev.mlplatform.core.events.CatalogueItem;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The catalogue of record, in Postgres ({@code recsys.items}): the service loads it whole at start and then what
 * changed since, by the row's {@code updated_at}.
 */
public final class CatalogueStore {

    private final JdbcTemplate jdbc;

    public CatalogueStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Adds the items or replaces those with the same id. */
    public void upsert(List<CatalogueItem> items) {
        jdbc.batchUpdate("""
                INSERT INTO recsys.items (item_id, title, genres, people, description, published_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, clock_timestamp())
                ON CONFLICT (item_id) DO UPDATE SET title = excluded.title, genres = excluded.genres,
                    people = excluded.people, description = excluded.description,
                    published_at = excluded.published_at, updated_at = excluded.updated_at
                """, items, 500, (PreparedStatement statement, CatalogueItem item) -> {
            statement.setString(1, item.itemId());
            statement.setString(2, item.title());
            statement.setArray(3, statement.getConnection().createArrayOf("text", item.genres().toArray()));
            statement.setArray(4, statement.getConnection().createArrayOf("text", item.people().toArray()));
            statement.setString(5, item.description());
            statement.setTimestamp(6, Timestamp.from(item.publishedAt()));
        });
    }

    /** Every item changed after {@code since} (all of them for {@link Instant#EPOCH}), and the latest change. */
    public Changes changedSince(Instant since) {
        List<CatalogueItem> items = new ArrayList<>();
        Instant[] latest = {since};
        jdbc.query("SELECT item_id, title, genres, people, description, published_at, updated_at FROM recsys.items "
                + "WHERE updated_at > ? ORDER BY updated_at", row -> {
                    items.add(item(row));
                    Instant updated = row.getTimestamp("updated_at").toInstant();
                    if (updated.isAfter(latest[0])) {
                        latest[0] = updated;
                    }
                }, Timestamp.from(since));
        return new Changes(items, latest[0]);
    }

    /** Items changed after a point, and the newest change among them (the next point to ask from). */
    public record Changes(List<CatalogueItem> items, Instant latest) {
    }

    private static CatalogueItem item(ResultSet row) throws SQLException {
        return new CatalogueItem(row.getString("item_id"), row.getString("title"), strings(row.getArray("genres")),
                strings(row.getArray("people")), row.getString("description"),
                row.getTimestamp("published_at").toInstant());
    }

    private static List<String> strings(Array array) throws SQLException {
        return List.of((String[]) array.getArray());
    }
}
