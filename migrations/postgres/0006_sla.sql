-- First-response SLA for tickets waiting for a person: their priority and how far the reminders went
-- (0 none, 1 reminded, 2 breach announced).
ALTER TABLE tickets ADD COLUMN priority TEXT;
ALTER TABLE tickets ADD COLUMN sla_stage BIGINT NOT NULL DEFAULT 0;
