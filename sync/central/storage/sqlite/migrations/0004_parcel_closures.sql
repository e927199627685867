-- parcel.closed (docs/messages.md): what a station found in a parcel when its operator closed it,
-- and the findings it raised on the return (lines missing from the parcel, items on no line).

CREATE TABLE parcel_closures (
    parcel_id   TEXT PRIMARY KEY,
    rma_id      TEXT NOT NULL REFERENCES returns (rma_id),
    station     TEXT NOT NULL,
    event_id    TEXT NOT NULL REFERENCES events (event_id),
    closed_at   TEXT,
    found       TEXT NOT NULL DEFAULT '[]'   -- JSON array of the inspection ids found in the parcel
);
CREATE INDEX parcel_closures_by_rma ON parcel_closures (rma_id);

CREATE TABLE return_findings (
    id             INTEGER PRIMARY KEY,
    rma_id         TEXT NOT NULL REFERENCES returns (rma_id),
    parcel_id      TEXT NOT NULL,
    finding        TEXT NOT NULL,   -- missing_item | extra_item
    line_id        TEXT,            -- missing_item: the RMA line
    sku            TEXT,
    quantity       INTEGER NOT NULL DEFAULT 1,
    inspection_id  TEXT,            -- extra_item: the inspection of the item
    event_id       TEXT NOT NULL REFERENCES events (event_id),
    at             TEXT NOT NULL
);
CREATE INDEX return_findings_by_rma ON return_findings (rma_id, id);
