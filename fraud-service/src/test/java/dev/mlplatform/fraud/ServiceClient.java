package dev.mlplatform.fraud;

import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.testsupport.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import tools.jackson.databind.JsonNode;

/**
 * HTTP to one fraud-service instance under test, for the model-management ITs: scoring, JSON
 * requests, and the stored rollout column of a decision. Every transaction id starts with the run's
 * prefix, so that its rows can be removed afterwards.
 */
final class ServiceClient {

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;
    private final String run;

    ServiceClient(int port, String run) {
        this.port = port;
        this.run = run;
    }

    /** A valid transaction of {@code amount} EUR a second ago, with a fresh id and card. */
    TransactionEvent transaction(String amount) {
        return withCard(Transactions.transaction(amount, Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(1)),
                null);
    }

    /** {@code tx} with a fresh id (of this run) and, when given, another card number. */
    TransactionEvent withCard(TransactionEvent tx, String cardNumber) {
        return new TransactionEvent(run + "-" + Transactions.id(), cardNumber == null ? tx.cardNumber() : cardNumber,
                null, tx.customerId(), tx.merchantId(), tx.terminalId(), tx.mcc(), tx.amount(), tx.currency(),
                tx.timestamp(), tx.channel(), tx.deviceId(), tx.ip(), tx.location(), tx.country());
    }

    HttpResponse<String> score(TransactionEvent tx) throws Exception {
        return post("/api/fraud/v1/score", Transactions.json(tx));
    }

    /** The decision on {@code tx}, failing unless the service answered 200. */
    JsonNode decide(TransactionEvent tx) throws Exception {
        HttpResponse<String> response = score(tx);
        if (response.statusCode() != 200) {
            throw new AssertionError("scoring answered " + response.statusCode() + ": " + response.body());
        }
        return json(response.body());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code rollout} column stored with the decision on {@code transactionId}; null when it is NULL. */
    JsonNode storedRollout(String transactionId) throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection();
             PreparedStatement select = c.prepareStatement(
                     "SELECT rollout::text FROM fraud.decisions WHERE transaction_id = ?")) {
            select.setString(1, transactionId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no decision stored for " + transactionId);
                }
                String rollout = rs.getString(1);
                return rollout == null ? null : json(rollout);
            }
        }
    }

    static JsonNode json(String body) {
        return EventJson.MAPPER.readTree(body);
    }

    /** Removes the decisions of this run and every trace of the model {@code name} from the registry. */
    /** Deletes one version of a model from the registry (a test's own challenger). */
    void removeVersion(String name, int version) throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection()) {
            for (String table : new String[] {"registry.stage_history", "registry.model_versions"}) {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE name = ? AND version = ?")) {
                    delete.setString(1, name);
                    delete.setInt(2, version);
                    delete.executeUpdate();
                }
            }
        }
    }

    void removeRowsAndModel(String name) throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection()) {
            for (String sql : new String[] {"DELETE FROM fraud.decisions WHERE transaction_id LIKE ?",
                    "DELETE FROM registry.stage_history WHERE name = ?", "DELETE FROM registry.model_versions WHERE name = ?",
                    "DELETE FROM registry.models WHERE name = ?"}) {
                try (PreparedStatement delete = c.prepareStatement(sql)) {
                    delete.setString(1, sql.contains("LIKE") ? run + "-%" : name);
                    delete.executeUpdate();
                }
            }
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
