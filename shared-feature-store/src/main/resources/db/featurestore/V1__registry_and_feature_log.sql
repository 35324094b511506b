-- The feature store's own schema (Flyway: classpath:db/featurestore).

-- Feature view definitions, one row per view id (name:vN), never changed in meaning once written:
-- lineage of training sets and models names these ids.
CREATE TABLE featurestore.feature_views (
    view_id       text PRIMARY KEY,
    name          text        NOT NULL,
    version       integer     NOT NULL CHECK (version > 0),
    entity        jsonb       NOT NULL,
    entity_name   text        NOT NULL GENERATED ALWAYS AS (entity ->> 'name') STORED,
    features      jsonb       NOT NULL,
    ttl_millis    bigint      NOT NULL CHECK (ttl_millis > 0),
    owner         text        NOT NULL,
    description   text        NOT NULL,
    registered_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (name, version)
);
CREATE INDEX feature_views_entity_name ON featurestore.feature_views (entity_name);

-- Every feature value ever computed, append-only. The primary key includes the event time (required
-- of a partitioned table's unique keys) and makes appends idempotent: ON CONFLICT DO NOTHING.
-- The foreign key guarantees that every logged row belongs to a registered view, so erasing an
-- entity through the registry reaches all of its rows.
CREATE TABLE featurestore.feature_log (
    view_id        text        NOT NULL REFERENCES featurestore.feature_views (view_id),
    entity_id      text        NOT NULL,
    event_time     timestamptz NOT NULL,
    feature_values jsonb       NOT NULL,
    logged_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (view_id, entity_id, event_time)
) PARTITION BY RANGE (event_time);

-- Monthly partitions (feature_log_pYYYY_MM) are created by the application before it writes a month;
-- the default partition only catches what arrives when that was impossible.
CREATE TABLE featurestore.feature_log_default PARTITION OF featurestore.feature_log DEFAULT;
