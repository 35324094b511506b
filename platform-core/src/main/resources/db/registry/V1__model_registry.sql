-- The model registry: one row per model name (its version counter, the lock that serialises its
-- changes), one row per version (metadata, lineage, current stage) and an append-only audit trail.

CREATE TABLE registry.models (
    name            text        PRIMARY KEY,
    latest_version  integer     NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL
);

CREATE TABLE registry.model_versions (
    name                 text        NOT NULL REFERENCES registry.models (name),
    version              integer     NOT NULL CHECK (version >= 1),
    format               text        NOT NULL,
    artifact_sha256      char(64)    NOT NULL CHECK (artifact_sha256 ~ '^[0-9a-f]{64}$'),
    artifact_size        bigint      NOT NULL CHECK (artifact_size >= 0),
    metrics              jsonb       NOT NULL,
    training_data_id     text        NOT NULL,
    training_data_sha256 text,
    feature_views        jsonb       NOT NULL,
    code_version         text,
    params               jsonb       NOT NULL,
    stage                text        NOT NULL
        CHECK (stage IN ('REGISTERED', 'SHADOW', 'CANARY', 'PRODUCTION', 'ARCHIVED')),
    -- The production version this one replaced when it was last promoted: rollback's target.
    promoted_over        integer,
    registered_at        timestamptz NOT NULL,
    stage_changed_at     timestamptz NOT NULL,
    PRIMARY KEY (name, version)
);

-- At most one production version per model, whatever the application does.
CREATE UNIQUE INDEX model_versions_one_production
    ON registry.model_versions (name) WHERE stage = 'PRODUCTION';

CREATE TABLE registry.stage_history (
    id          bigserial   PRIMARY KEY,
    name        text        NOT NULL,
    version     integer     NOT NULL,
    from_stage  text,
    to_stage    text        NOT NULL,
    reason      text        NOT NULL,
    changed_at  timestamptz NOT NULL,
    FOREIGN KEY (name, version) REFERENCES registry.model_versions (name, version)
);

CREATE INDEX stage_history_by_model ON registry.stage_history (name, id);
