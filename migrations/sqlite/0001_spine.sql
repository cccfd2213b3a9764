-- opsdesk spine schema (SQLite). Keep in step with migrations/postgres/0001_spine.sql.
-- Types stay INTEGER/REAL/TEXT: sqlx's Any driver cannot decode BOOLEAN or DATETIME columns.
-- Times are epoch milliseconds.

CREATE TABLE customers (
    platform    TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    account_id  TEXT NOT NULL,
    vip         INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (platform, user_id)
);

CREATE TABLE tickets (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    platform           TEXT NOT NULL,
    channel            TEXT NOT NULL,
    thread             TEXT NOT NULL,
    customer           TEXT NOT NULL,
    state              TEXT NOT NULL,
    tier               TEXT,
    confidence         REAL,
    subject            TEXT NOT NULL,
    bot_turns          INTEGER NOT NULL DEFAULT 0,
    opened_at          INTEGER NOT NULL,
    first_response_at  INTEGER,
    resolved_at        INTEGER,
    updated_at         INTEGER NOT NULL,
    claimed_by         TEXT,
    cost_micros        INTEGER NOT NULL DEFAULT 0,
    version            INTEGER NOT NULL DEFAULT 0,
    UNIQUE (platform, channel, thread)
);
CREATE INDEX tickets_state ON tickets (state, updated_at);

CREATE TABLE ticket_messages (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id    INTEGER NOT NULL REFERENCES tickets (id),
    author_kind  TEXT NOT NULL,
    author       TEXT NOT NULL,
    text         TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id, id);

CREATE TABLE inbox (
    key           TEXT PRIMARY KEY,
    source        TEXT NOT NULL,
    payload       TEXT NOT NULL,
    received_at   INTEGER NOT NULL,
    processed_at  INTEGER,
    error         TEXT
);
CREATE INDEX inbox_unprocessed ON inbox (processed_at, received_at);

CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    platform      TEXT NOT NULL,
    channel       TEXT NOT NULL,
    body          TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending',
    attempts      INTEGER NOT NULL DEFAULT 0,
    not_before    INTEGER NOT NULL,
    lease_owner   TEXT,
    lease_until   INTEGER,
    platform_ref  TEXT,
    last_error    TEXT,
    created_at    INTEGER NOT NULL,
    sent_at       INTEGER
);
CREATE INDEX outbox_due ON outbox (state, not_before, id);

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       INTEGER NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    detail   TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
