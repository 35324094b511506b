package dev.mlplatform.fraud.decision;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.TransactionEvent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link DecisionStore} in Postgres table {@code fraud.decisions}, keyed by transaction id, with the
 * ids whose events are not yet acknowledged in {@code fraud.decision_outbox}, each under the decisions topic
 * of the store that wrote it: a store relays only its own topic's rows. A batch of any size is
 * one statement ({@code INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING RETURNING}, the
 * outbox rows added by the same statement), so a replay or a concurrent duplicate never makes a
 * second row and no decision is stored without its outbox entry.
 */
public final class JdbcDecisionStore implements DecisionStore {

    static final JsonMapper JSON = EventJson.MAPPER.rebuild()
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Double>> FEATURES = new TypeReference<>() {
    };
    private static final ObjectWriter REASONS_WRITER = JSON.writerFor(STRINGS);
    private static final ObjectWriter FEATURES_WRITER = JSON.writerFor(FEATURES);
    private static final ObjectWriter TRANSACTION_WRITER = JSON.writerFor(TransactionEvent.class);
    private static final ObjectWriter ROLLOUT_WRITER = JSON.writerFor(RolloutTrace.class);

    private static final String COLUMNS = "transaction_id, card_token, customer_id, merchant_id, amount, currency, "
            + "event_time, decision, risk_score, reasons, model_version, degraded, source, features, transaction, "
            + "request_hash, decided_at, rollout";

    /**
     * Wraps an insert into the decisions table ({@code RETURNING transaction_id, decided_at}) so that each new
     * decision also enters the outbox, in the same statement, and the ids stored are returned. The outbox's
     * topic is the statement's last parameter.
     */
    private static String withOutbox(String insertDecisions) {
        return "WITH inserted AS (" + insertDecisions + "), "
                + "queued AS (INSERT INTO fraud.decision_outbox (transaction_id, decided_at, topic) "
                + "SELECT transaction_id, decided_at, ? FROM inserted) "
                + "SELECT transaction_id FROM inserted";
    }

    private static final String INSERT = withOutbox("INSERT INTO fraud.decisions (" + COLUMNS + ") "
            + "SELECT t.id, t.card, t.customer, t.merchant, t.amount::numeric, t.currency, t.event_time::timestamptz, "
            + "t.decision, t.score, t.reasons::jsonb, t.model, t.degraded, t.source, t.features::jsonb, "
            + "t.tx::jsonb, t.hash, t.decided_at::timestamptz, t.rollout::jsonb "
            + "FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
            + "?::float8[], ?::text[], ?::text[], ?::bool[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
            + "?::text[]) "
            + "AS t(id, card, customer, merchant, amount, currency, event_time, decision, score, reasons, model, "
            + "degraded, source, features, tx, hash, decided_at, rollout) "
            + "ON CONFLICT (transaction_id) DO NOTHING RETURNING transaction_id, decided_at");

    /** One row (the REST path): plain parameters, cheaper than arrays for a batch of one. */
    private static final String INSERT_ONE = withOutbox("INSERT INTO fraud.decisions (" + COLUMNS + ") "
            + "VALUES (?, ?, ?, ?, ?::numeric, ?, ?::timestamptz, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb, ?::jsonb, ?, "
            + "?::timestamptz, ?::jsonb) ON CONFLICT (transaction_id) DO NOTHING RETURNING transaction_id, decided_at");

    private static final String SELECT = "SELECT decision, risk_score, reasons, model_version, degraded, source, "
            + "features, transaction, request_hash, decided_at, transaction_id, rollout FROM fraud.decisions ";

    private final DataSource dataSource;
    private final String outboxTopic;

    /** @param outboxTopic the topic this service announces decisions on: its outbox rows are filed under it */
    public JdbcDecisionStore(DataSource dataSource, String outboxTopic) {
        this.dataSource = dataSource;
        this.outboxTopic = outboxTopic;
    }

    @Override
    public Set<String> insertNew(List<DecisionRecord> records) {
        if (records.isEmpty()) {
            return Set.of();
        }
        if (records.size() == 1) {
            return insertOne(records.get(0));
        }
        int n = records.size();
        String[] id = new String[n];
        String[] card = new String[n];
        String[] customer = new String[n];
        String[] merchant = new String[n];
        String[] amount = new String[n];
        String[] currency = new String[n];
        String[] eventTime = new String[n];
        String[] outcome = new String[n];
        Double[] score = new Double[n];
        String[] reasons = new String[n];
        String[] model = new String[n];
        Boolean[] degraded = new Boolean[n];
        String[] source = new String[n];
        String[] features = new String[n];
        String[] tx = new String[n];
        String[] hash = new String[n];
        String[] decidedAt = new String[n];
        String[] rollout = new String[n];
        for (int i = 0; i < n; i++) {
            DecisionRecord r = records.get(i);
            Decision d = r.decision();
            TransactionEvent t = r.transaction();
            id[i] = d.transactionId();
            card[i] = t.cardToken();
            customer[i] = t.customerId();
            merchant[i] = t.merchantId();
            amount[i] = t.amount().toPlainString();
            currency[i] = t.currency();
            eventTime[i] = t.timestamp().toString();
            outcome[i] = d.outcome().name();
            score[i] = d.riskScore();
            reasons[i] = REASONS_WRITER.writeValueAsString(d.reasons());
            model[i] = d.modelVersion();
            degraded[i] = d.degraded();
            source[i] = r.source().name();
            features[i] = FEATURES_WRITER.writeValueAsString(r.features());
            tx[i] = TRANSACTION_WRITER.writeValueAsString(t);
            hash[i] = r.requestHash();
            decidedAt[i] = d.decidedAt().toString();
            rollout[i] = rolloutJson(r.rollout());
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(INSERT)) {
            List<Array> arrays = List.of(
                    c.createArrayOf("text", id), c.createArrayOf("text", card), c.createArrayOf("text", customer),
                    c.createArrayOf("text", merchant), c.createArrayOf("text", amount),
                    c.createArrayOf("text", currency), c.createArrayOf("text", eventTime),
                    c.createArrayOf("text", outcome), c.createArrayOf("float8", score),
                    c.createArrayOf("text", reasons), c.createArrayOf("text", model),
                    c.createArrayOf("bool", degraded), c.createArrayOf("text", source),
                    c.createArrayOf("text", features), c.createArrayOf("text", tx), c.createArrayOf("text", hash),
                    c.createArrayOf("text", decidedAt), c.createArrayOf("text", rollout));
            for (int i = 0; i < arrays.size(); i++) {
                insert.setArray(i + 1, arrays.get(i));
            }
            insert.setString(arrays.size() + 1, outboxTopic);
            Set<String> inserted = new HashSet<>();
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
            return inserted;
        } catch (SQLException e) {
            throw new DecisionStoreException("cannot store " + n + " decisions: " + e.getMessage(), e);
        }
    }

    private Set<String> insertOne(DecisionRecord record) {
        Decision d = record.decision();
        TransactionEvent t = record.transaction();
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(INSERT_ONE)) {
            insert.setString(1, d.transactionId());
            insert.setString(2, t.cardToken());
            insert.setString(3, t.customerId());
            insert.setString(4, t.merchantId());
            insert.setString(5, t.amount().toPlainString());
            insert.setString(6, t.currency());
            insert.setString(7, t.timestamp().toString());
            insert.setString(8, d.outcome().name());
            insert.setDouble(9, d.riskScore());
            insert.setString(10, REASONS_WRITER.writeValueAsString(d.reasons()));
            insert.setString(11, d.modelVersion());
            insert.setBoolean(12, d.degraded());
            insert.setString(13, record.source().name());
            insert.setString(14, FEATURES_WRITER.writeValueAsString(record.features()));
            insert.setString(15, TRANSACTION_WRITER.writeValueAsString(t));
            insert.setString(16, record.requestHash());
            insert.setString(17, d.decidedAt().toString());
            insert.setString(18, rolloutJson(record.rollout()));
            insert.setString(19, outboxTopic);
            try (ResultSet rs = insert.executeQuery()) {
                return rs.next() ? Set.of(rs.getString(1)) : Set.of();
            }
        } catch (SQLException e) {
            throw new DecisionStoreException("cannot store the decision of " + d.transactionId() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Optional<DecisionRecord> find(String transactionId) {
        return Optional.ofNullable(findAll(List.of(transactionId)).get(transactionId));
    }

    @Override
    public Map<String, DecisionRecord> findAll(Collection<String> transactionIds) {
        if (transactionIds.isEmpty()) {
            return Map.of();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement(SELECT + "WHERE transaction_id = ANY (?)")) {
            select.setArray(1, c.createArrayOf("text", transactionIds.toArray(String[]::new)));
            return read(select);
        } catch (SQLException e) {
            throw new DecisionStoreException("cannot read decisions: " + e.getMessage(), e);
        }
    }

    @Override
    public void markPublished(Collection<String> transactionIds) {
        if (transactionIds.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement delete = c.prepareStatement(
                     "DELETE FROM fraud.decision_outbox WHERE transaction_id = ANY (?)")) {
            delete.setArray(1, c.createArrayOf("text", transactionIds.toArray(String[]::new)));
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new DecisionStoreException("cannot mark decisions published: " + e.getMessage(), e);
        }
    }

    @Override
    public List<DecisionRecord> unpublished(Instant decidedBefore, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement(SELECT + "WHERE transaction_id IN ("
                     + "SELECT transaction_id FROM fraud.decision_outbox WHERE topic = ? AND decided_at < ? "
                     + "ORDER BY decided_at LIMIT ?) ORDER BY decided_at")) {
            select.setString(1, outboxTopic);
            select.setTimestamp(2, Timestamp.from(decidedBefore));
            select.setInt(3, limit);
            return new ArrayList<>(read(select).values());
        } catch (SQLException e) {
            throw new DecisionStoreException("cannot read unpublished decisions: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Set<String>> devicesByCardOf(String customerId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement(
                     "SELECT DISTINCT card_token, transaction->>'deviceId' FROM fraud.decisions WHERE customer_id = ?")) {
            select.setString(1, customerId);
            Map<String, Set<String>> devices = new LinkedHashMap<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Set<String> ofCard = devices.computeIfAbsent(rs.getString(1), card -> new LinkedHashSet<>());
                    if (rs.getString(2) != null) {
                        ofCard.add(rs.getString(2));
                    }
                }
            }
            return devices;
        } catch (SQLException e) {
            throw new DecisionStoreException("cannot read the cards of a customer: " + e.getMessage(), e);
        }
    }

    @Override
    public int deleteCustomer(String customerId, Collection<String> cardTokens) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement delete = c.prepareStatement(
                     "DELETE FROM fraud.decisions WHERE customer_id = ? OR card_token = ANY (?)")) {
            delete.setString(1, customerId);
            delete.setArray(2, c.createArrayOf("text", cardTokens.toArray(String[]::new)));
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new DecisionStoreException("cannot erase the decisions of a customer: " + e.getMessage(), e);
        }
    }

    /** The rollout column: NULL on the plain production path, so that most rows carry nothing extra. */
    private static String rolloutJson(RolloutTrace rollout) {
        return RolloutTrace.NONE.equals(rollout) ? null : ROLLOUT_WRITER.writeValueAsString(rollout);
    }

    private static Map<String, DecisionRecord> read(PreparedStatement select) throws SQLException {
        Map<String, DecisionRecord> found = new LinkedHashMap<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString("transaction_id");
                Decision decision = new Decision(id, Outcome.valueOf(rs.getString("decision")),
                        rs.getDouble("risk_score"), JSON.readValue(rs.getString("reasons"), STRINGS),
                        rs.getString("model_version"), rs.getBoolean("degraded"),
                        rs.getTimestamp("decided_at").toInstant());
                String features = rs.getString("features");
                String rollout = rs.getString("rollout");
                found.put(id, new DecisionRecord(decision,
                        JSON.readValue(rs.getString("transaction"), TransactionEvent.class),
                        features == null ? Map.of() : JSON.readValue(features, FEATURES),
                        Source.valueOf(rs.getString("source")), rs.getString("request_hash"),
                        rollout == null ? RolloutTrace.NONE : JSON.readValue(rollout, RolloutTrace.class)));
            }
        }
        return found;
    }

    /** The database refused or could not be reached. */
    public static final class DecisionStoreException extends RuntimeException {
        DecisionStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
