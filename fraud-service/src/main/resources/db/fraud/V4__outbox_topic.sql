-- Each outbox row names the topic its event is for, and a relay takes only the rows of its own topic. Two
-- deployments sharing the database with different decisions topics (a staging or shadow deployment, a second
-- platform on one Postgres) used to relay each other's decisions: whichever saw a stale row first sent it to
-- its own topic, Kafka acknowledged it there, and the row was gone before its own topic ever had it.
ALTER TABLE decision_outbox ADD COLUMN topic text NOT NULL DEFAULT 'fraud.decisions.v1';
ALTER TABLE decision_outbox ALTER COLUMN topic DROP DEFAULT;

DROP INDEX decision_outbox_decided_at;
CREATE INDEX decision_outbox_topic_decided_at ON decision_outbox (topic, decided_at);
