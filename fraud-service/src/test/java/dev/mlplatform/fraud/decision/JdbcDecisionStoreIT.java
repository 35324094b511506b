package dev.mlplatform.fraud.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.CardTokenizer;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.fraud.Transactions;
import dev.mlplatform.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The decisions table on the real Postgres: one row per transaction id, whatever the batch. */
class JdbcDecisionStoreIT {

    private static final DataSource DB = TestDatabase.migrated("fraud");
    private final JdbcDecisionStore store = new JdbcDecisionStore(DB, "fraud.decisions.v1");
    private final CardTokenizer tokenizer = new CardTokenizer("test-key");
    private final List<String> written = new ArrayList<>();

    @AfterEach
    void removeRows() throws SQLException {
        try (Connection c = DB.getConnection();
             PreparedStatement delete = c.prepareStatement("DELETE FROM fraud.decisions WHERE transaction_id = ANY (?)")) {
            delete.setArray(1, c.createArrayOf("text", written.toArray()));
            delete.executeUpdate();
        }
    }

    private DecisionRecord record(String amount, Outcome outcome, Instant decidedAt) {
        TransactionEvent tx = Transactions.transaction(amount, Instant.parse("2026-02-01T09:30:00.123Z")).tokenized(tokenizer);
        written.add(tx.transactionId());
        return new DecisionRecord(new Decision(tx.transactionId(), outcome, 0.25, List.of("rule:x", "high_amount"),
                "fraud-gbdt:3", false, decidedAt), tx, Map.of("amount", Double.parseDouble(amount)), Source.KAFKA,
                TransactionDigest.of(tx));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    @Test
    void storesAndReadsBackADecisionWithWhatItWasMadeFrom() {
        DecisionRecord record = record("42.50", Outcome.REVIEW, now());

        assertThat(store.insertNew(List.of(record))).containsExactly(record.transactionId());

        DecisionRecord stored = store.find(record.transactionId()).orElseThrow();
        assertThat(stored.decision()).isEqualTo(record.decision());
        assertThat(stored.transaction()).isEqualTo(record.transaction());
        assertThat(stored.features()).isEqualTo(record.features());
        assertThat(stored.source()).isEqualTo(Source.KAFKA);
        assertThat(stored.requestHash()).isEqualTo(record.requestHash());
    }

    @Test
    void storesTheRolloutTraceAloneOrInABatchAndNothingForThePlainProductionPath() {
        RolloutTrace traced = new RolloutTrace(new ExperimentArm("ab", "challenger"),
                new ShadowScore("fraud-gbdt:4", 0.875, Outcome.DECLINE));
        DecisionRecord plain = record("3.00", Outcome.APPROVE, now());
        DecisionRecord alone = withRollout(record("4.00", Outcome.APPROVE, now()), traced);
        DecisionRecord inBatch = withRollout(record("5.00", Outcome.REVIEW, now()),
                new RolloutTrace(null, new ShadowScore("fraud-gbdt:4", 0.1, Outcome.APPROVE)));

        store.insertNew(List.of(alone));
        store.insertNew(List.of(plain, inBatch));

        assertThat(store.find(alone.transactionId()).orElseThrow().rollout()).isEqualTo(traced);
        assertThat(store.find(inBatch.transactionId()).orElseThrow().rollout()).isEqualTo(inBatch.rollout());
        assertThat(store.find(plain.transactionId()).orElseThrow().rollout()).isSameAs(RolloutTrace.NONE);
    }

    private static DecisionRecord withRollout(DecisionRecord record, RolloutTrace rollout) {
        return new DecisionRecord(record.decision(), record.transaction(), record.features(), record.source(),
                record.requestHash(), rollout);
    }

    @Test
    void aBatchStoresOnlyTheIdsNotStoredBeforeAndTheFirstOfDuplicates() {
        DecisionRecord existing = record("1.00", Outcome.APPROVE, now());
        store.insertNew(List.of(existing));
        DecisionRecord fresh = record("2.00", Outcome.DECLINE, now());
        DecisionRecord replayOfExisting = new DecisionRecord(new Decision(existing.transactionId(), Outcome.DECLINE,
                0.99, List.of(), "other:1", true, now()), existing.transaction(), Map.of(), Source.KAFKA,
                existing.requestHash());

        Set<String> inserted = store.insertNew(List.of(existing, fresh, replayOfExisting, fresh));

        assertThat(inserted).containsExactly(fresh.transactionId());
        assertThat(store.find(existing.transactionId()).orElseThrow().decision()).isEqualTo(existing.decision());
        assertThat(store.findAll(List.of(existing.transactionId(), fresh.transactionId(), "tx-none")))
                .containsOnlyKeys(existing.transactionId(), fresh.transactionId());
    }

    @Test
    void aSingleReplayStoresNothing() {
        DecisionRecord record = record("3.00", Outcome.APPROVE, now());
        store.insertNew(List.of(record));

        assertThat(store.insertNew(List.of(record))).isEmpty();
    }

    @Test
    void listsStaleUnpublishedDecisionsUntilMarkedPublished() {
        Instant old = now().minus(Duration.ofMinutes(10));
        DecisionRecord stale = record("4.00", Outcome.APPROVE, old);
        DecisionRecord recent = record("5.00", Outcome.APPROVE, now());
        store.insertNew(List.of(stale, recent));

        List<DecisionRecord> unpublished = store.unpublished(now().minus(Duration.ofMinutes(1)), 10_000);
        assertThat(unpublished).extracting(DecisionRecord::transactionId)
                .contains(stale.transactionId()).doesNotContain(recent.transactionId());

        store.markPublished(List.of(stale.transactionId()));

        assertThat(store.unpublished(now().minus(Duration.ofMinutes(1)), 10_000))
                .extracting(DecisionRecord::transactionId).doesNotContain(stale.transactionId());
    }

    @Test
    void aStoreRelaysOnlyTheDecisionsOfItsOwnTopic() {
        JdbcDecisionStore staging = new JdbcDecisionStore(DB, "staging.fraud.decisions.v1");
        DecisionRecord ours = record("6.00", Outcome.APPROVE, now().minus(Duration.ofMinutes(10)));
        DecisionRecord theirs = record("7.00", Outcome.APPROVE, now().minus(Duration.ofMinutes(10)));
        store.insertNew(List.of(ours));
        staging.insertNew(List.of(theirs));

        assertThat(store.unpublished(now(), 10_000)).extracting(DecisionRecord::transactionId)
                .contains(ours.transactionId()).doesNotContain(theirs.transactionId());
        assertThat(staging.unpublished(now(), 10_000)).extracting(DecisionRecord::transactionId)
                .containsExactly(theirs.transactionId());
    }
}
