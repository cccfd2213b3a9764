-- One row per alerts channel: a new card's commit updates it first, so concurrent batches (and
-- replicas) take the channel's budget of new cards one at a time.
CREATE TABLE alert_channels (
    platform TEXT NOT NULL,
    channel  TEXT NOT NULL,
    cards    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (platform, channel)
);
-- The storm card's counts as last shown, so a later look can tell whether the card is stale.
ALTER TABLE alert_storms ADD COLUMN shown TEXT NOT NULL DEFAULT '';
-- How many held-back groups the list in the storm card's thread last named.
ALTER TABLE alert_storms ADD COLUMN listed BIGINT NOT NULL DEFAULT 0;
