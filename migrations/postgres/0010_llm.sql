-- LLM agents: both triage opinions and the prompt version on each ticket, and every agent call's tokens
-- and cost (per ticket, per agent, per month for the budgets).
ALTER TABLE tickets ADD COLUMN triage_offline TEXT;
ALTER TABLE tickets ADD COLUMN triage_llm TEXT;
ALTER TABLE tickets ADD COLUMN prompt_version TEXT;

CREATE TABLE llm_usage (
    id             BIGSERIAL PRIMARY KEY,
    at             BIGINT NOT NULL,
    agent          TEXT NOT NULL,
    ticket_id      BIGINT,
    calls          BIGINT NOT NULL,
    input_tokens   BIGINT NOT NULL,
    output_tokens  BIGINT NOT NULL,
    cost_micros    BIGINT NOT NULL,
    outcome        TEXT NOT NULL
);
CREATE INDEX llm_usage_agent ON llm_usage (agent, at);
CREATE INDEX llm_usage_ticket ON llm_usage (ticket_id);
