-- People owning tickets: when a ticket went to a person, when a person first answered, and the customer's rating.
ALTER TABLE tickets ADD COLUMN escalated_at BIGINT;
ALTER TABLE tickets ADD COLUMN human_response_at BIGINT;
ALTER TABLE tickets ADD COLUMN csat BIGINT;
