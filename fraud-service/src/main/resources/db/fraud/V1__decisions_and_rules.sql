-- One row per transaction id: the decision, what it was made from, and the outbox state of its events.
CREATE TABLE decisions (
    transaction_id text PRIMARY KEY,
    card_token     text             NOT NULL,
    customer_id    text             NOT NULL,
    merchant_id    text             NOT NULL,
    amount         numeric(14, 2)   NOT NULL,
    currency       char(3)          NOT NULL,
    event_time     timestamptz      NOT NULL,
    decision       text             NOT NULL CHECK (decision IN ('APPROVE', 'REVIEW', 'DECLINE')),
    risk_score     double precision NOT NULL CHECK (risk_score BETWEEN 0 AND 1),
    reasons        jsonb            NOT NULL,
    model_version  text,
    degraded       boolean          NOT NULL,
    source         text             NOT NULL CHECK (source IN ('REST', 'KAFKA')),
    -- The feature values the model saw: the feature log point-in-time training sets are built from.
    features       jsonb            NOT NULL,
    -- The tokenised transaction (never a card number), to audit and to republish.
    transaction    jsonb            NOT NULL,
    -- Digest of the tokenised transaction: a replay matches it, another transaction reusing the id does not.
    request_hash   text             NOT NULL,
    decided_at     timestamptz      NOT NULL,
    -- Set once the decision event (and for REST the transaction event) reached Kafka.
    published_at   timestamptz
);

CREATE INDEX decisions_card_event_time ON decisions (card_token, event_time);
CREATE INDEX decisions_unpublished ON decisions (decided_at) WHERE published_at IS NULL;

-- Rules are data: operators add, change and disable them here; the service rereads the table.
CREATE TABLE rules (
    id          bigserial PRIMARY KEY,
    name        text        NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    type        text        NOT NULL CHECK (type IN ('CARD_BLOCKLIST', 'MERCHANT_BLOCKLIST', 'AMOUNT_LIMIT',
                                                     'VELOCITY_LIMIT')),
    parameters  jsonb       NOT NULL DEFAULT '{}',
    action      text        NOT NULL CHECK (action IN ('REVIEW', 'DECLINE')),
    enabled     boolean     NOT NULL DEFAULT true,
    description text,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Starting rules: a card testing burst (many small payments in minutes) and very large amounts.
INSERT INTO rules (name, type, parameters, action, description) VALUES
    ('card-testing-burst', 'VELOCITY_LIMIT', '{"window": "5m", "maxCount": 8}', 'DECLINE',
     'More than 8 payments with one card within 5 minutes'),
    ('rapid-fire-1m', 'VELOCITY_LIMIT', '{"window": "1m", "maxCount": 4}', 'REVIEW',
     'More than 4 payments with one card within 1 minute'),
    ('very-large-amount', 'AMOUNT_LIMIT', '{"maxAmount": 10000}', 'REVIEW',
     'A single payment above 10,000 in any currency');
