-- Knowledge gaps: each customer question the desk could not answer from the knowledge base (nothing
-- confident enough to quote, or the agent found nothing grounded), kept so the team sees which pages
-- to write next (`opsdesk kb gaps`, `/ops kb gaps`).
CREATE TABLE kb_gaps (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    question  TEXT NOT NULL,
    reason    TEXT NOT NULL
);
CREATE INDEX kb_gaps_at ON kb_gaps (at);
