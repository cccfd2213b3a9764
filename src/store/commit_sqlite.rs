//! SQLite's commit as one script (one round trip to sqlx's connection thread, which costs far more
//! than SQLite itself): the inbox event marked processed (only if it was not), the ticket inserted or
//! moved (only from the version read), the outbox, conversation and audit rows. Each statement that
//! checks something returns a tagged row; a missing row says which check failed, and the caller rolls
//! the script back (to its savepoint inside a group commit, see `group.rs`).

use super::script::{Script, Val};
use super::tickets::write_ticket;
use crate::domain::ports::{Commit, StoreError};

/// Row tags: the inbox mark, the ticket write, an outbox id.
const INBOX: i64 = 0;
const TICKET: i64 = 1;
const OUTBOX: i64 = 2;

/// Appends the commit's statements to `s`; every returned row is `(tag, value)`.
pub(super) fn commit_script(s: &mut Script, c: &Commit) -> Result<(), StoreError> {
    inbox_statement(s, c);
    if let Some(t) = &c.ticket {
        write_ticket(s, t, c.opens_ticket, &format!("{TICKET}, id"));
    }
    messages_statement(s, c);
    super::gaps::gaps_statement(s, &c.gaps);
    // One statement per outbox row, so the returned ids come back in order.
    for o in &c.outbox {
        let body = serde_json::to_string(o).map_err(|e| StoreError::Other(e.to_string()))?;
        let (p, ch, b, now) = (
            s.param(o.platform.as_str()),
            s.param(o.channel.as_str()),
            s.param(body),
            s.param(c.now),
        );
        s.push(&format!(
            "INSERT INTO outbox (platform, channel, body, state, attempts, not_before, created_at) \
             VALUES ({p}, {ch}, {b}, 'pending', 0, {now}, {now}) RETURNING {OUTBOX}, id;\n"
        ));
    }
    if !c.audit.is_empty() {
        let rows: Vec<String> = c
            .audit
            .iter()
            .map(|a| {
                s.row(vec![
                    Val::from(a.at),
                    a.actor.as_str().into(),
                    a.action.name().into_owned().into(),
                    a.subject.as_str().into(),
                    a.detail.as_str().into(),
                ])
            })
            .collect();
        s.push(&format!(
            "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES {};\n",
            rows.join(", ")
        ));
    }
    Ok(())
}

/// The inbox event stored processed, or marked processed, only if it was not (tag `INBOX`).
fn inbox_statement(s: &mut Script, c: &Commit) {
    if let Some(key) = &c.inbox_key {
        let (now, key) = (s.param(c.now), s.param(key.as_str()));
        match &c.unstored {
            Some(e) => {
                let (source, payload, received) = (s.param(e.source.as_str()), s.param(e.payload.as_str()), s.param(c.now));
                s.push(&format!(
                    "INSERT INTO inbox (key, source, payload, received_at, processed_at) VALUES ({key}, {source}, {payload}, {received}, {now}) \
                     ON CONFLICT (key) DO UPDATE SET processed_at = excluded.processed_at WHERE inbox.processed_at IS NULL \
                     RETURNING {INBOX}, 0;\n"
                ))
            }
            None => {
                s.push(&format!("UPDATE inbox SET processed_at = {now} WHERE key = {key} AND processed_at IS NULL RETURNING {INBOX}, 0;\n"))
            }
        }
    }
}

/// The conversation's new turns, inserted only if the ticket write wrote (when there is one).
fn messages_statement(s: &mut Script, c: &Commit) {
    if !c.messages.is_empty() {
        let rows: Vec<String> = c
            .messages
            .iter()
            .map(|(id, m)| {
                s.row(vec![
                    Val::from(*id),
                    m.author_kind.as_str().into(),
                    m.author.as_str().into(),
                    m.text.as_str().into(),
                    m.at.into(),
                ])
            })
            .collect();
        let insert =
            "INSERT INTO ticket_messages (ticket_id, author_kind, author, text, created_at)";
        if c.ticket.is_some() {
            // Right after the ticket write, and only if it wrote: when opening the ticket lost a race
            // (or the event was a redelivery of one that opened it), the script must reach its end
            // for the caller to see the missing tag and roll back, not stop at a foreign-key error.
            s.push(&format!(
                "{insert} SELECT * FROM (VALUES {}) WHERE changes() = 1;\n",
                rows.join(", ")
            ));
        } else {
            s.push(&format!("{insert} VALUES {};\n", rows.join(", ")));
        }
    }
}

/// Reads the script's rows: the outbox ids, or the check that failed.
pub(super) fn commit_outcome(c: &Commit, rows: &[(i64, i64)]) -> Result<Vec<i64>, StoreError> {
    if let Some(key) = &c.inbox_key
        && !rows.iter().any(|r| r.0 == INBOX)
    {
        return Err(StoreError::AlreadyProcessed(key.clone()));
    }
    if let Some(t) = &c.ticket
        && !rows.iter().any(|r| r.0 == TICKET)
    {
        return Err(StoreError::Conflict(if c.opens_ticket {
            format!("thread {} already has a ticket", t.thread)
        } else {
            format!("ticket #{} changed concurrently", t.id)
        }));
    }
    Ok(rows.iter().filter(|r| r.0 == OUTBOX).map(|r| r.1).collect())
}
