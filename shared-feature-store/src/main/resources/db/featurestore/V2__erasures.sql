-- Every erasure request (GDPR), kept as its record, and the queue of what erases later: the data lake's files are
-- immutable, so a batch job rewrites those that hold the entity and stamps lake_erased_at (recsys: the nightly job).
-- A repeated request reopens it.
CREATE TABLE featurestore.erasures (
    entity_name    text        NOT NULL,
    entity_id      text        NOT NULL,
    requested_at   timestamptz NOT NULL,
    lake_erased_at timestamptz,
    PRIMARY KEY (entity_name, entity_id)
);

CREATE INDEX erasures_lake_pending ON featurestore.erasures (entity_name) WHERE lake_erased_at IS NULL;
