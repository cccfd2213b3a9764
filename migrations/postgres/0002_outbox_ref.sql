-- Find a delivered message by its platform id, to edit a card in place.
CREATE INDEX outbox_platform_ref ON outbox (platform_ref);
