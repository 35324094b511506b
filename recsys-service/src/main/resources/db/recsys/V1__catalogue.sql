-- The catalogue of record. updated_at lets every service instance load only what changed since its last look.
CREATE TABLE recsys.items (
    item_id      text        PRIMARY KEY,
    title        text        NOT NULL,
    genres       text[]      NOT NULL,
    people       text[]      NOT NULL DEFAULT '{}',
    description  text        NOT NULL DEFAULT '',
    published_at timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX items_updated_at ON recsys.items (updated_at);
