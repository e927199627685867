-- The returns ledger, its audit trail, and the station events it was built from.
-- Times are RFC 3339 UTC text with milliseconds (they sort as text).

CREATE TABLE returns (
    rma_id          TEXT PRIMARY KEY,
    channel         TEXT NOT NULL,
    state           TEXT NOT NULL,
    order_id        TEXT,
    customer        TEXT,
    tracking        TEXT,
    label_barcode   TEXT NOT NULL,
    trade_in_value  REAL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE return_lines (
    rma_id             TEXT NOT NULL REFERENCES returns (rma_id),
    line_id            TEXT NOT NULL,
    position           INTEGER NOT NULL,
    sku                TEXT NOT NULL,
    gtin               TEXT,
    description        TEXT NOT NULL,
    category           TEXT NOT NULL,
    quantity           INTEGER NOT NULL,
    unit_price         REAL,
    expected_weight_g  REAL,
    serials            TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
    reason             TEXT,
    PRIMARY KEY (rma_id, line_id)
);

CREATE TABLE return_parcels (
    rma_id         TEXT NOT NULL REFERENCES returns (rma_id),
    parcel_id      TEXT NOT NULL,
    station        TEXT NOT NULL,
    first_seen_at  TEXT NOT NULL,
    PRIMARY KEY (rma_id, parcel_id)
);
CREATE INDEX return_parcels_by_parcel ON return_parcels (parcel_id);

-- One audit row per state change: who, when, why (and the event that caused it).
CREATE TABLE return_transitions (
    id          INTEGER PRIMARY KEY,
    rma_id      TEXT NOT NULL REFERENCES returns (rma_id),
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    actor       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    at          TEXT NOT NULL,
    event_id    TEXT
);
CREATE INDEX return_transitions_by_rma ON return_transitions (rma_id, id);

-- Every accepted station event, verbatim; event_id is the deduplication key.
CREATE TABLE events (
    event_id     TEXT PRIMARY KEY,
    site         TEXT NOT NULL,
    station      TEXT NOT NULL,
    station_seq  INTEGER NOT NULL,
    type         TEXT NOT NULL,
    version      INTEGER NOT NULL,
    occurred_at  TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    topic        TEXT NOT NULL,
    payload      TEXT NOT NULL
);
CREATE INDEX events_by_station ON events (station, station_seq);

CREATE TABLE inspections (
    inspection_id         TEXT PRIMARY KEY,
    event_id              TEXT NOT NULL REFERENCES events (event_id),
    station               TEXT NOT NULL,
    parcel_id             TEXT NOT NULL,
    rma_id                TEXT NOT NULL REFERENCES returns (rma_id),
    reported_rma_id       TEXT,
    line_id               TEXT,
    channel               TEXT,
    identified_by         TEXT,
    item_sku              TEXT,
    item_gtin             TEXT,
    item_serial           TEXT,
    item_category         TEXT,
    item_description      TEXT,
    weight_measured_g     REAL,
    weight_expected_g     REAL,
    weight_tolerance_g    REAL,
    weight_result         TEXT NOT NULL,
    photo_missing_reason  TEXT,
    findings              TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
    grade_function        INTEGER,
    grade_cosmetic        TEXT,
    grade                 TEXT NOT NULL,
    disposition_code      TEXT NOT NULL,
    disposition_location  TEXT,
    disposition_rule      TEXT,
    lpn                   TEXT,
    operator              TEXT,
    confirmed_at          TEXT
);
CREATE INDEX inspections_by_rma ON inspections (rma_id, line_id);

CREATE TABLE inspection_photos (
    inspection_id  TEXT NOT NULL REFERENCES inspections (inspection_id),
    position       INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    view           TEXT,
    bytes          INTEGER,
    width          INTEGER,
    height         INTEGER,
    PRIMARY KEY (inspection_id, position)
);

-- Refused messages (malformed, unsupported, body disagreeing with its topic).
CREATE TABLE dead_letters (
    id                 INTEGER PRIMARY KEY,
    topic              TEXT NOT NULL,
    payload            BLOB NOT NULL,
    reason             TEXT NOT NULL,
    first_received_at  TEXT NOT NULL,
    last_received_at   TEXT NOT NULL,
    count              INTEGER NOT NULL DEFAULT 1,
    UNIQUE (topic, payload)
);
