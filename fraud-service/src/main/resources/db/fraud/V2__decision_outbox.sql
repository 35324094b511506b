-- Decisions whose events Kafka has not acknowledged yet, in a narrow table of their own. Marking a decision
-- published used to update its wide row (three jsonb columns, every index, no HOT update because a partial
-- index depends on the column): a second full write per decision, and a partial index full of dead entries
-- that the outbox relay scanned every ten seconds. Now an acknowledgement deletes one narrow row.
CREATE TABLE decision_outbox (
    transaction_id text PRIMARY KEY REFERENCES decisions (transaction_id) ON DELETE CASCADE,
    decided_at     timestamptz NOT NULL
);

CREATE INDEX decision_outbox_decided_at ON decision_outbox (decided_at);

INSERT INTO decision_outbox (transaction_id, decided_at)
SELECT transaction_id, decided_at FROM decisions WHERE published_at IS NULL;

DROP INDEX decisions_unpublished;
ALTER TABLE decisions DROP COLUMN published_at;
