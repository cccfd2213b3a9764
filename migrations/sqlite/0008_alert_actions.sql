-- Alert groups: their labels (routes, silences), when their card was posted (the storm budget), the
-- storm card they were folded into, acknowledgement and silence. Storm cards, one per channel at a time.
-- Outbox edits of one message supersede each other while still pending.
ALTER TABLE alert_groups ADD COLUMN labels TEXT NOT NULL DEFAULT '{}';
ALTER TABLE alert_groups ADD COLUMN carded_at INTEGER;
ALTER TABLE alert_groups ADD COLUMN storm INTEGER;
ALTER TABLE alert_groups ADD COLUMN acked_by TEXT;
ALTER TABLE alert_groups ADD COLUMN acked_at INTEGER;
ALTER TABLE alert_groups ADD COLUMN silenced_until INTEGER;
ALTER TABLE alert_groups ADD COLUMN silence_id TEXT;
-- The card's body and links as the last batch left them (buttons redraw the card around them).
ALTER TABLE alert_groups ADD COLUMN detail TEXT NOT NULL DEFAULT '{}';
CREATE INDEX alert_groups_carded ON alert_groups (platform, channel, carded_at);
CREATE INDEX alert_groups_storm ON alert_groups (storm, firing, firing_count);
CREATE INDEX alert_groups_card ON alert_groups (card);

CREATE TABLE alert_storms (
    platform   TEXT NOT NULL,
    channel    TEXT NOT NULL,
    card       INTEGER NOT NULL,
    started    INTEGER NOT NULL,
    last_fold  INTEGER NOT NULL,
    PRIMARY KEY (platform, channel)
);

ALTER TABLE outbox ADD COLUMN supersede TEXT;
CREATE INDEX outbox_supersede ON outbox (supersede) WHERE supersede IS NOT NULL;
