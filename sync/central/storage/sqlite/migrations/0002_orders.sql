-- What returns are checked against: the catalogue, the orders shipped, the authorisation decisions
-- and the RMA number sequence. Prices and weights as REAL, times as RFC 3339 UTC text.

CREATE TABLE catalogue (
    sku                TEXT PRIMARY KEY,
    gtin               TEXT,
    description        TEXT NOT NULL,
    category           TEXT NOT NULL,
    price              REAL,
    expected_weight_g  REAL,
    returnable         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX catalogue_by_gtin ON catalogue (gtin);

CREATE TABLE orders (
    order_id      TEXT PRIMARY KEY,
    email         TEXT NOT NULL,  -- lower-case: the portal matches it case-insensitively
    customer      TEXT,
    ordered_at    TEXT NOT NULL,
    delivered_at  TEXT
);
CREATE INDEX orders_by_email ON orders (email);

CREATE TABLE order_lines (
    order_id    TEXT NOT NULL REFERENCES orders (order_id),
    line_id     TEXT NOT NULL,
    position    INTEGER NOT NULL,
    sku         TEXT NOT NULL,
    quantity    INTEGER NOT NULL,
    unit_price  REAL NOT NULL,
    serials     TEXT NOT NULL DEFAULT '[]',  -- JSON array: the serial numbers shipped
    PRIMARY KEY (order_id, line_id)
);

-- The next RMA number per prefix: taken in its own committed transaction, so a number is never
-- handed out twice, also across restarts (a crash may leave a gap, never a clash).
CREATE TABLE rma_sequences (
    prefix  TEXT PRIMARY KEY,
    next    INTEGER NOT NULL
);

-- Every authorisation decision: the rule that fired (name and file:line:column) and its outcome.
-- A return in manual review has a decision with outcome 'review' and no decided_at yet.
CREATE TABLE return_decisions (
    id           INTEGER PRIMARY KEY,
    rma_id       TEXT NOT NULL,
    outcome      TEXT NOT NULL,   -- approve | reject | review
    rule         TEXT NOT NULL,
    rule_source  TEXT NOT NULL,
    reason       TEXT NOT NULL,
    decided_by   TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX return_decisions_by_rma ON return_decisions (rma_id, id);

-- What the customer gave when asking (the portal's and customer service's contact address).
CREATE TABLE return_contacts (
    rma_id  TEXT PRIMARY KEY,
    email   TEXT NOT NULL
);
