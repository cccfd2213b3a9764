-- One living card per alert group (source + group key): its status, counts and current card.
CREATE TABLE alert_groups (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    source          TEXT NOT NULL,
    group_key       TEXT NOT NULL,
    title           TEXT NOT NULL,
    severity        TEXT NOT NULL,
    firing          INTEGER NOT NULL,
    firing_count    INTEGER NOT NULL,
    resolved_count  INTEGER NOT NULL,
    updates         INTEGER NOT NULL,
    first_seen      INTEGER NOT NULL,
    last_change     INTEGER NOT NULL,
    resolved_at     INTEGER,
    card            INTEGER,
    platform        TEXT NOT NULL,
    channel         TEXT NOT NULL,
    version         INTEGER NOT NULL,
    UNIQUE (source, group_key)
);
CREATE INDEX alert_groups_firing ON alert_groups (firing, last_change);
