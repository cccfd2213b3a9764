-- opsdesk spine schema (Postgres). Keep in step with migrations/sqlite/0001_spine.sql.
-- Flags are BIGINT 0/1 and times epoch milliseconds, so the same queries decode through sqlx's Any driver.

CREATE TABLE customers (
    platform    TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    account_id  TEXT NOT NULL,
    vip         BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (platform, user_id)
);

CREATE TABLE tickets (
    id                 BIGSERIAL PRIMARY KEY,
    platform           TEXT NOT NULL,
    channel            TEXT NOT NULL,
    thread             TEXT NOT NULL,
    customer           TEXT NOT NULL,
    state              TEXT NOT NULL,
    tier               TEXT,
    confidence         DOUBLE PRECISION,
    subject            TEXT NOT NULL,
    bot_turns          BIGINT NOT NULL DEFAULT 0,
    opened_at          BIGINT NOT NULL,
    first_response_at  BIGINT,
    resolved_at        BIGINT,
    updated_at         BIGINT NOT NULL,
    claimed_by         TEXT,
    cost_micros        BIGINT NOT NULL DEFAULT 0,
    version            BIGINT NOT NULL DEFAULT 0,
    UNIQUE (platform, channel, thread)
);
CREATE INDEX tickets_state ON tickets (state, updated_at);

CREATE TABLE ticket_messages (
    id           BIGSERIAL PRIMARY KEY,
    ticket_id    BIGINT NOT NULL REFERENCES tickets (id),
    author_kind  TEXT NOT NULL,
    author       TEXT NOT NULL,
    text         TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id, id);

CREATE TABLE inbox (
    key           TEXT PRIMARY KEY,
    source        TEXT NOT NULL,
    payload       TEXT NOT NULL,
    received_at   BIGINT NOT NULL,
    processed_at  BIGINT,
    error         TEXT
);
CREATE INDEX inbox_unprocessed ON inbox (processed_at, received_at);

CREATE TABLE outbox (
    id            BIGSERIAL PRIMARY KEY,
    platform      TEXT NOT NULL,
    channel       TEXT NOT NULL,
    body          TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending',
    attempts      BIGINT NOT NULL DEFAULT 0,
    not_before    BIGINT NOT NULL,
    lease_owner   TEXT,
    lease_until   BIGINT,
    platform_ref  TEXT,
    last_error    TEXT,
    created_at    BIGINT NOT NULL,
    sent_at       BIGINT
);
CREATE INDEX outbox_due ON outbox (state, not_before, id);

CREATE TABLE audit_log (
    id       BIGSERIAL PRIMARY KEY,
    at       BIGINT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    detail   TEXT NOT NULL
);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
