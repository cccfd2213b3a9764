-- One living card per alert group (source + group key): its status, counts and current card.
CREATE TABLE alert_groups (
    id              BIGSERIAL PRIMARY KEY,
    source          TEXT NOT NULL,
    group_key       TEXT NOT NULL,
    title           TEXT NOT NULL,
    severity        TEXT NOT NULL,
    firing          BIGINT NOT NULL,
    firing_count    BIGINT NOT NULL,
    resolved_count  BIGINT NOT NULL,
    updates         BIGINT NOT NULL,
    first_seen      BIGINT NOT NULL,
    last_change     BIGINT NOT NULL,
    resolved_at     BIGINT,
    card            BIGINT,
    platform        TEXT NOT NULL,
    channel         TEXT NOT NULL,
    version         BIGINT NOT NULL,
    UNIQUE (source, group_key)
);
CREATE INDEX alert_groups_firing ON alert_groups (firing, last_change);
