-- LLM agents: both triage opinions and the prompt version on each ticket, and every agent call's tokens
-- and cost (per ticket, per agent, per month for the budgets).
ALTER TABLE tickets ADD COLUMN triage_offline TEXT;
ALTER TABLE tickets ADD COLUMN triage_llm TEXT;
ALTER TABLE tickets ADD COLUMN prompt_version TEXT;

CREATE TABLE llm_usage (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             INTEGER NOT NULL,
    agent          TEXT NOT NULL,
    ticket_id      INTEGER,
    calls          INTEGER NOT NULL,
    input_tokens   INTEGER NOT NULL,
    output_tokens  INTEGER NOT NULL,
    cost_micros    INTEGER NOT NULL,
    outcome        TEXT NOT NULL
);
CREATE INDEX llm_usage_agent ON llm_usage (agent, at);
CREATE INDEX llm_usage_ticket ON llm_usage (ticket_id);
