-- The station database: RMAs and their lookup keys, parcels, inspections, photos, label jobs,
-- the audit trail and counters (the LPN sequence).
CREATE TABLE rma (
    rma_id     TEXT PRIMARY KEY,
    channel    TEXT NOT NULL,
    body       TEXT NOT NULL,          -- the retour.rma JSON as received
    updated_at TEXT NOT NULL
);
CREATE TABLE rma_key (
    kind   TEXT NOT NULL,              -- label_barcode | tracking | order_id | gtin | serial
    value  TEXT NOT NULL,
    rma_id TEXT NOT NULL REFERENCES rma(rma_id) ON DELETE CASCADE,
    PRIMARY KEY (kind, value, rma_id)
);
CREATE INDEX rma_key_rma ON rma_key(rma_id);

CREATE TABLE parcel (
    parcel_id     TEXT PRIMARY KEY,
    rma_id        TEXT,
    channel       TEXT NOT NULL,
    identified_by TEXT NOT NULL,
    scanned       TEXT NOT NULL,
    operator      TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    closed_at     TEXT,
    findings      TEXT NOT NULL DEFAULT '[]',
    missing       TEXT NOT NULL DEFAULT '[]',
    event_id      TEXT
);

CREATE TABLE inspection (
    inspection_id  TEXT PRIMARY KEY,
    parcel_id      TEXT NOT NULL REFERENCES parcel(parcel_id),
    rma_id         TEXT,
    line_id        TEXT,
    sku            TEXT NOT NULL,
    gtin           TEXT NOT NULL,
    serial         TEXT,
    category       TEXT NOT NULL,
    description    TEXT NOT NULL,
    measured_g     REAL,
    expected_g     REAL,
    weight_result  TEXT NOT NULL,
    grade_function INTEGER NOT NULL,
    grade_cosmetic TEXT NOT NULL,
    grade          TEXT NOT NULL,
    disposition    TEXT NOT NULL,
    location       TEXT NOT NULL,
    rule           TEXT NOT NULL,
    lpn            TEXT NOT NULL UNIQUE,
    operator       TEXT NOT NULL,
    confirmed_at   TEXT NOT NULL,
    body           TEXT NOT NULL,      -- the inspection.completed data, all fields
    event_id       TEXT NOT NULL,
    acked          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX inspection_parcel ON inspection(parcel_id);
CREATE INDEX inspection_event ON inspection(event_id);

CREATE TABLE photo (
    inspection_id TEXT NOT NULL REFERENCES inspection(inspection_id),
    view          TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    bytes         INTEGER NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    taken_at      TEXT NOT NULL,
    PRIMARY KEY (inspection_id, view, sha256)
);

CREATE TABLE label (
    job_id        TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspection(inspection_id),
    lpn           TEXT NOT NULL,
    zpl           TEXT NOT NULL,
    printed       INTEGER NOT NULL DEFAULT 0,
    printer       TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    reason        TEXT,
    created_at    TEXT NOT NULL,
    printed_at    TEXT,
    event_id      TEXT
);
CREATE INDEX label_pending ON label(printed);

CREATE TABLE audit (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail  TEXT NOT NULL
);

CREATE TABLE counter (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counter (name, value) VALUES ('lpn', 0);
