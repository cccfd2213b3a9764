-- The newest message id seen per channel or thread, so a restart can fetch what it missed (Discord).
CREATE TABLE cursors (
    platform  TEXT NOT NULL,
    channel   TEXT NOT NULL,
    last_id   BIGINT NOT NULL,
    PRIMARY KEY (platform, channel)
);
