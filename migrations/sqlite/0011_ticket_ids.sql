-- Ticket ids are handed out in blocks (see SqlStore::next_sqlite_ticket_id), so a new ticket is
-- inserted by the same transaction as the rest of its first message's handling.
CREATE TABLE id_blocks (
    name TEXT PRIMARY KEY,
    next INTEGER NOT NULL
);

INSERT INTO id_blocks (name, next)
SELECT 'tickets', MAX(COALESCE((SELECT MAX(id) FROM tickets), 0), COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'tickets'), 0)) + 1;
