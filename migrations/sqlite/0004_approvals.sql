-- Human sign-off requests. The id is chosen by opsdesk (random), so the card can name it before the row exists.
CREATE TABLE approvals (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    params        TEXT NOT NULL,
    action_hash   TEXT NOT NULL,
    summary       TEXT NOT NULL,
    reason        TEXT NOT NULL,
    requested_by  TEXT NOT NULL,
    platform      TEXT NOT NULL,
    channel       TEXT NOT NULL,
    thread        TEXT,
    card          INTEGER,
    state         TEXT NOT NULL,
    approved_by   TEXT NOT NULL,
    decided_by    TEXT,
    deny_reason   TEXT,
    quorum        INTEGER NOT NULL,
    allow_self    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    warn_at       INTEGER NOT NULL,
    warned        INTEGER NOT NULL,
    result        TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    version       INTEGER NOT NULL
);
CREATE INDEX approvals_due ON approvals (state, warn_at, expires_at);
