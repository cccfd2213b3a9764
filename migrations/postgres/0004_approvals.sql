-- Human sign-off requests. The id is chosen by opsdesk (random), so the card can name it before the row exists.
CREATE TABLE approvals (
    id            BIGINT PRIMARY KEY,
    kind          TEXT NOT NULL,
    params        TEXT NOT NULL,
    action_hash   TEXT NOT NULL,
    summary       TEXT NOT NULL,
    reason        TEXT NOT NULL,
    requested_by  TEXT NOT NULL,
    platform      TEXT NOT NULL,
    channel       TEXT NOT NULL,
    thread        TEXT,
    card          BIGINT,
    state         TEXT NOT NULL,
    approved_by   TEXT NOT NULL,
    decided_by    TEXT,
    deny_reason   TEXT,
    quorum        BIGINT NOT NULL,
    allow_self    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    warn_at       BIGINT NOT NULL,
    warned        BIGINT NOT NULL,
    result        TEXT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    version       BIGINT NOT NULL
);
CREATE INDEX approvals_due ON approvals (state, warn_at, expires_at);
