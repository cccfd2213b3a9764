//! SQLite's commit in two round trips instead of one per statement: (1) `BEGIN IMMEDIATE`, the inbox
//! event marked processed (only if it was not) and the version-checked ticket update, (2) every insert and the inbox mark plus `COMMIT`, as one script with
//! numbered parameters. sqlx pays ~50 µs per round trip to its SQLite thread, far more than SQLite itself.

use super::db_err;
use super::tickets::{UPDATE_TICKET_PARAMS, mark_inbox_from, update_ticket};
use crate::domain::ports::{Commit, StoreError};
use sqlx::{AnyConnection, AnyPool, AssertSqlSafe, Executor};

/// A value bound to a numbered parameter of the script.
enum Val {
    Int(i64),
    Text(String),
}

/// Builds `(sql, values)` for round trip 2; `$n` placeholders are numbered across the whole script.
struct Script {
    sql: String,
    vals: Vec<Val>,
}

impl Script {
    fn param(&mut self, v: Val) -> String {
        self.vals.push(v);
        format!("${}", self.vals.len())
    }

    fn row(&mut self, vals: Vec<Val>) -> String {
        let ps: Vec<String> = vals.into_iter().map(|v| self.param(v)).collect();
        format!("({})", ps.join(", "))
    }
}

fn script(c: &Commit) -> Result<Script, StoreError> {
    let mut s = Script { sql: String::new(), vals: vec![] };
    // One statement per outbox row, so the returned ids come back in order.
    for o in &c.outbox {
        let body = serde_json::to_string(o).map_err(|e| StoreError::Other(e.to_string()))?;
        let (p, ch, b, now) = (
            s.param(Val::Text(o.platform.as_str().into())),
            s.param(Val::Text(o.channel.clone())),
            s.param(Val::Text(body)),
            s.param(Val::Int(c.now)),
        );
        s.sql.push_str(&format!(
            "INSERT INTO outbox (platform, channel, body, state, attempts, not_before, created_at) VALUES ({p}, {ch}, {b}, 'pending', 0, {now}, {now}) RETURNING id;\n"
        ));
    }
    if !c.messages.is_empty() {
        let rows: Vec<String> = c
            .messages
            .iter()
            .map(|(id, m)| {
                s.row(vec![
                    Val::Int(*id),
                    Val::Text(m.author_kind.clone()),
                    Val::Text(m.author.clone()),
                    Val::Text(m.text.clone()),
                    Val::Int(m.at),
                ])
            })
            .collect();
        s.sql.push_str(&format!(
            "INSERT INTO ticket_messages (ticket_id, author_kind, author, text, created_at) VALUES {};\n",
            rows.join(", ")
        ));
    }
    if !c.audit.is_empty() {
        let rows: Vec<String> = c
            .audit
            .iter()
            .map(|a| {
                s.row(vec![
                    Val::Int(a.at),
                    Val::Text(a.actor.clone()),
                    Val::Text(a.action.clone()),
                    Val::Text(a.subject.clone()),
                    Val::Text(a.detail.clone()),
                ])
            })
            .collect();
        s.sql.push_str(&format!("INSERT INTO audit_log (at, actor, action, subject, detail) VALUES {};\n", rows.join(", ")));
    }
    s.sql.push_str("COMMIT;");
    Ok(s)
}

/// Round trip 1: the ticket row comes back as its id, the inbox row as -1; a missing row says which
/// check failed.
async fn begin_and_move(conn: &mut AnyConnection, c: &Commit) -> Result<(), StoreError> {
    let rows: Vec<(i64,)> = match (&c.ticket, &c.inbox_key) {
        (Some(t), Some(key)) => {
            let mark = format!("; {} RETURNING -1", mark_inbox_from(UPDATE_TICKET_PARAMS + 1));
            update_ticket("BEGIN IMMEDIATE; ", t, &mark).bind(c.now).bind(key.as_str()).fetch_all(&mut *conn).await
        }
        (Some(t), None) => update_ticket("BEGIN IMMEDIATE; ", t, "").fetch_all(&mut *conn).await,
        (None, Some(key)) => {
            sqlx::query_as(AssertSqlSafe(format!("BEGIN IMMEDIATE; {} RETURNING -1", mark_inbox_from(1))))
                .bind(c.now)
                .bind(key.as_str())
                .fetch_all(&mut *conn)
                .await
        }
        (None, None) => conn.execute("BEGIN IMMEDIATE").await.map(|_| vec![]),
    }
    .map_err(db_err)?;
    if let Some(key) = &c.inbox_key
        && !rows.iter().any(|r| r.0 == -1)
    {
        return Err(StoreError::AlreadyProcessed(key.clone()));
    }
    if let Some(t) = &c.ticket
        && !rows.iter().any(|r| r.0 == t.id)
    {
        return Err(StoreError::Conflict(format!("ticket #{} changed concurrently", t.id)));
    }
    Ok(())
}

pub(super) async fn commit(pool: &AnyPool, c: &Commit) -> Result<Vec<i64>, StoreError> {
    let s = script(c)?;
    let mut conn = pool.acquire().await.map_err(db_err)?;
    let result = async {
        begin_and_move(&mut conn, c).await?;
        let mut q = sqlx::query_as::<_, (i64,)>(AssertSqlSafe(s.sql));
        for v in s.vals {
            q = match v {
                Val::Int(i) => q.bind(i),
                Val::Text(t) => q.bind(t),
            };
        }
        let ids: Vec<(i64,)> = q.fetch_all(&mut *conn).await.map_err(db_err)?;
        Ok(ids.into_iter().map(|(id,)| id).collect())
    }
    .await;
    if result.is_err() {
        // Whatever failed, the transaction must not stay open on a pooled connection.
        if conn.execute("ROLLBACK").await.is_err() {
            conn.close_on_drop();
        }
    }
    result
}
