-- What central does once the ledger has moved: refunds, stock movements and customer messages,
-- and the durable outbox that delivers them (payment adapter, WMS webhook, SMTP).
-- Times are RFC 3339 UTC text with milliseconds; amounts are integer cents.

-- One row per request to send; the worker thread sends it until it is done or failed.
-- `key` is the idempotency key (a refund's id, a movement's event id, a message's id): enqueueing
-- the same key twice keeps the first row.
CREATE TABLE deliveries (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,              -- refund | stock | message
    transport     TEXT NOT NULL,              -- http | smtp
    target        TEXT NOT NULL,              -- URL (http://, smtp://)
    recipient     TEXT,                       -- smtp: RCPT TO
    body          TEXT NOT NULL,
    state         TEXT NOT NULL,              -- pending | done | failed
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at       TEXT NOT NULL,
    last_error    TEXT,
    response      TEXT,
    created_at    TEXT NOT NULL,
    finished_at   TEXT,
    settled       INTEGER NOT NULL DEFAULT 0  -- its outcome was applied to the ledger
);
CREATE INDEX deliveries_due ON deliveries (state, next_at);
CREATE INDEX deliveries_unsettled ON deliveries (settled, state);

-- One refund decision per return: the trigger and the rules that fired, the amount, and what the
-- payment adapter answered.
CREATE TABLE refunds (
    refund_id        TEXT PRIMARY KEY,
    rma_id           TEXT NOT NULL UNIQUE REFERENCES returns (rma_id),
    trigger          TEXT NOT NULL,   -- authorised | carrier_scan | drop_off | receipt | inspection
    trigger_rule     TEXT NOT NULL,   -- name @ FILE:LINE:COL
    amount_cents     INTEGER NOT NULL,
    full_cents       INTEGER NOT NULL,
    currency         TEXT NOT NULL,
    keep_item        INTEGER NOT NULL DEFAULT 0,
    lines            TEXT NOT NULL,   -- JSON: [{line_id, sku, quantity, amount_cents, rule, basis}]
    state            TEXT NOT NULL,   -- requested | refunded | failed | none
    reason           TEXT,
    decided_at       TEXT NOT NULL,
    settled_at       TEXT
);

-- The inventory ledger: one row per movement, keyed by the station event that caused it. An
-- inspection brings a unit in at its bench (from_location NULL); a restock moves it from the bench
-- to its shelf. Levels by SKU × location × condition are the sum of what came in minus what left.
CREATE TABLE stock_movements (
    id             INTEGER PRIMARY KEY,
    event_id       TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL,      -- inspected | restocked
    sku            TEXT NOT NULL,
    from_location  TEXT,
    to_location    TEXT NOT NULL,
    condition      TEXT NOT NULL,
    quantity       INTEGER NOT NULL,
    disposition    TEXT,
    route          TEXT,               -- pick_face | outlet | refurbisher | vendor | recycler | …
    route_rule     TEXT,
    rma_id         TEXT,
    inspection_id  TEXT,
    lpn            TEXT,
    station        TEXT NOT NULL,
    at             TEXT NOT NULL
);
CREATE INDEX stock_by_sku ON stock_movements (sku, to_location, condition);
CREATE INDEX stock_by_time ON stock_movements (at);

-- Customer messages: one per return and stage, whatever the number of triggers seen.
CREATE TABLE customer_messages (
    rma_id      TEXT NOT NULL,
    stage       TEXT NOT NULL,        -- requested | authorised | received | inspected | refunded
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (rma_id, stage)
);
