-- The finance ledger: each Stripe object's merged latest state (JSON of the domain record), and every
-- version of each subscription (MRR at any date), keyed by the event that carried it.
CREATE TABLE fin_objects (
    kind  TEXT NOT NULL,
    id    TEXT NOT NULL,
    at    INTEGER NOT NULL,
    data  TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);

CREATE TABLE fin_sub_versions (
    event   TEXT PRIMARY KEY,
    sub_id  TEXT NOT NULL,
    at      INTEGER NOT NULL,
    data    TEXT NOT NULL
);
CREATE INDEX fin_sub_versions_sub ON fin_sub_versions (sub_id, at);
