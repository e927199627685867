-- The station's durable outbox (sync/link/src/outbox.cpp): events waiting for central's
-- acknowledgement, in station_seq order, and the sequence counter. IF NOT EXISTS: a database made
-- before this version table existed may hold part of it already (Outbox::ensureSchema adopts it).
CREATE TABLE IF NOT EXISTS outbox (
    station_seq INTEGER PRIMARY KEY,
    event_id    TEXT NOT NULL UNIQUE,
    type        TEXT NOT NULL,
    topic       TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox_meta (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    next_seq     INTEGER NOT NULL,
    acknowledged INTEGER NOT NULL
);
INSERT OR IGNORE INTO outbox_meta (id, next_seq, acknowledged) VALUES (1, 1, 0);
