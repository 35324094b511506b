package dev.mlplatform.featurestore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;

/**
 * The record of erasure requests ({@code featurestore.erasures}), and the queue of the data lake: its files are
 * immutable, so the online and offline stores erase at once and a batch job that rewrites the lake's files erases
 * later, then says so here. Keeping the id of an erased entity is what proves the erasure was done.
 */
public final class ErasureLog {

    private final DataSource dataSource;

    public ErasureLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records the request, or reopens one already done: the lake is to be erased again. */
    public void record(String entityName, String entityId, Instant requestedAt) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement upsert = c.prepareStatement("""
                     INSERT INTO featurestore.erasures (entity_name, entity_id, requested_at) VALUES (?, ?, ?)
                     ON CONFLICT (entity_name, entity_id)
                     DO UPDATE SET requested_at = EXCLUDED.requested_at, lake_erased_at = NULL""")) {
            upsert.setString(1, entityName);
            upsert.setString(2, entityId);
            upsert.setTimestamp(3, Timestamp.from(requestedAt));
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the erasure of " + entityName + " " + entityId + ": "
                    + e.getMessage(), e);
        }
    }

    /** Ids of the entities whose erasure the lake has not done yet, oldest request first. */
    public List<String> pendingInLake(String entityName) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("""
                     SELECT entity_id FROM featurestore.erasures
                      WHERE entity_name = ? AND lake_erased_at IS NULL ORDER BY requested_at""")) {
            select.setString(1, entityName);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the pending erasures: " + e.getMessage(), e);
        }
    }

    /**
     * Marks the lake's erasure of these entities done at {@code erasedAt}, for requests made before it: one that
     * came in while the lake was being rewritten stays pending.
     */
    public void lakeErased(String entityName, Collection<String> entityIds, Instant erasedAt) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("""
                     UPDATE featurestore.erasures SET lake_erased_at = ?
                      WHERE entity_name = ? AND entity_id = ANY (?) AND requested_at <= ? AND lake_erased_at IS NULL""")) {
            Timestamp time = Timestamp.from(erasedAt);
            update.setTimestamp(1, time);
            update.setString(2, entityName);
            update.setArray(3, c.createArrayOf("text", entityIds.toArray()));
            update.setTimestamp(4, time);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot mark the lake's erasures done: " + e.getMessage(), e);
        }
    }
}
