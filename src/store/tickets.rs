//! Tickets, their messages and customers; `commit` applies one handled event atomically.

use super::alert_writes::write_cards;
use super::audit::insert_audit;
use super::group::{Done, Job};
use super::rows::{TICKET_COLUMNS, TicketRow};
use super::script::{Script, Val};
use super::{Backend, SqlStore, db_err};
use crate::domain::ports::{
    AuditEntry, Commit, Customer, OutboundOp, StoreError, ThreadKey, TicketFilter, TicketMessage,
    TicketStore, TierStats,
};
use crate::domain::{Millis, Platform, Ticket, TicketState};
use async_trait::async_trait;

#[async_trait]
impl TicketStore for SqlStore {
    async fn customer(
        &self,
        platform: Platform,
        user_id: &str,
    ) -> Result<Option<Customer>, StoreError> {
        let r: Option<(String, i64)> = sqlx::query_as(
            "SELECT account_id, vip FROM customers WHERE platform = $1 AND user_id = $2",
        )
        .bind(platform.as_str())
        .bind(user_id)
        .fetch_optional(self.pool())
        .await
        .map_err(db_err)?;
        Ok(r.map(|(account_id, vip)| Customer {
            platform,
            user_id: user_id.into(),
            account_id,
            vip: vip != 0,
        }))
    }

    async fn link_customer(&self, c: &Customer, now: Millis) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "INSERT INTO customers (platform, user_id, account_id, vip, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (platform, user_id) DO UPDATE SET account_id = excluded.account_id, vip = excluded.vip",
        )
        .bind(c.platform.as_str())
        .bind(&c.user_id)
        .bind(&c.account_id)
        .bind(c.vip as i64)
        .bind(now)
        .execute(self.pool())
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn set_customer_link(
        &self,
        platform: Platform,
        user_id: &str,
        account: Option<&str>,
        audit: &AuditEntry,
        now: Millis,
    ) -> Result<bool, StoreError> {
        self.write_customer_link(platform, user_id, account, audit, now)
            .await
    }

    async fn find_ticket(&self, key: &ThreadKey<'_>) -> Result<Option<Ticket>, StoreError> {
        let r: Option<TicketRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {TICKET_COLUMNS} FROM tickets WHERE platform = $1 AND channel = $2 AND thread = $3"
        )))
        .bind(key.platform.as_str())
        .bind(key.channel)
        .bind(key.thread)
        .fetch_optional(self.pool())
        .await
        .map_err(db_err)?;
        r.map(TryInto::try_into).transpose()
    }

    async fn new_ticket_id(&self) -> Result<i64, StoreError> {
        match self.kind() {
            Backend::Postgres => {
                sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence('tickets', 'id'))")
                    .fetch_one(self.pool())
                    .await
                    .map_err(db_err)
            }
            Backend::Sqlite => self.next_sqlite_ticket_id().await,
        }
    }

    async fn ticket(&self, id: i64) -> Result<Option<Ticket>, StoreError> {
        let r: Option<TicketRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {TICKET_COLUMNS} FROM tickets WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await
        .map_err(db_err)?;
        r.map(TryInto::try_into).transpose()
    }

    async fn tickets(&self, filter: &TicketFilter) -> Result<Vec<Ticket>, StoreError> {
        // States are a closed enum, so inlining their names is safe.
        let states: Vec<String> = filter
            .states
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        let cond = if states.is_empty() {
            String::new()
        } else {
            format!("WHERE state IN ({})", states.join(", "))
        };
        let rows: Vec<TicketRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {TICKET_COLUMNS} FROM tickets {cond} ORDER BY updated_at DESC, id DESC LIMIT $1"
        )))
        .bind(if filter.limit > 0 { filter.limit } else { 50 })
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn ticket_messages(&self, id: i64) -> Result<Vec<TicketMessage>, StoreError> {
        let rows: Vec<(String, String, String, i64)> =
            sqlx::query_as("SELECT author_kind, author, text, created_at FROM ticket_messages WHERE ticket_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(self.pool())
                .await
                .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(|(author_kind, author, text, at)| TicketMessage {
                author_kind,
                author,
                text,
                at,
            })
            .collect())
    }

    async fn ticket_counts(&self) -> Result<Vec<(TicketState, i64)>, StoreError> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT state, COUNT(*) FROM tickets GROUP BY state")
                .fetch_all(self.pool())
                .await
                .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .filter_map(|(s, n)| TicketState::parse(&s).map(|s| (s, n)))
            .collect())
    }

    async fn tier_stats(&self, since: Millis, until: Millis) -> Result<Vec<TierStats>, StoreError> {
        // Casts keep Postgres from returning NUMERIC, which the Any driver cannot decode.
        type Row = (
            String,
            i64,
            Option<i64>,
            Option<f64>,
            Option<f64>,
            Option<i64>,
            i64,
            Option<f64>,
            i64,
            Option<i64>,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT tier, COUNT(*), CAST(SUM(CASE WHEN state = 'resolved' THEN 1 ELSE 0 END) AS BIGINT), \
             CAST(AVG(first_response_at - opened_at) AS DOUBLE PRECISION), \
             CAST(AVG(resolved_at - opened_at) AS DOUBLE PRECISION), CAST(SUM(cost_micros) AS BIGINT), \
             COUNT(csat), CAST(AVG(csat) AS DOUBLE PRECISION), COUNT(escalated_at), \
             CAST(SUM(CASE WHEN sla_stage >= 2 THEN 1 ELSE 0 END) AS BIGINT) \
             FROM tickets WHERE tier IS NOT NULL AND opened_at >= $1 AND opened_at < $2 \
             GROUP BY tier ORDER BY tier",
        )
        .bind(since)
        .bind(until)
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(
                |(tier, tickets, resolved, fr, rs, cost, ratings, csat, escalated, breached)| {
                    TierStats {
                        tier,
                        tickets,
                        resolved: resolved.unwrap_or(0),
                        avg_first_response_ms: fr,
                        avg_resolve_ms: rs,
                        cost_micros: cost.unwrap_or(0),
                        ratings,
                        avg_csat: csat,
                        escalated,
                        sla_breached: breached.unwrap_or(0),
                    }
                },
            )
            .collect())
    }

    async fn commit(&self, c: Commit) -> Result<Vec<i64>, StoreError> {
        match self.kind() {
            // Approvals, alerts and edits (which supersede pending edits) take the portable path on SQLite too.
            Backend::Sqlite
                if c.approval.is_none()
                    && c.alert.is_none()
                    && c.storm.is_none()
                    && !c
                        .outbox
                        .iter()
                        .any(|o| matches!(o.op, OutboundOp::Update { .. })) =>
            {
                match self.submit(Job::Commit(Box::new(c))).await? {
                    Done::Commit(ids) => Ok(ids),
                    Done::Inbox(_) => Err(StoreError::Other(
                        "group commit answered a commit with an inbox result".into(),
                    )),
                }
            }
            _ => {
                let _w = self.write_guard().await;
                commit_tx(self.pool(), &c).await
            }
        }
    }
}

/// The columns a handled event can change, with the ticket's values.
fn moving_columns(t: &Ticket) -> [(&'static str, Val); 16] {
    [
        ("state", t.state.as_str().into()),
        ("tier", t.tier.map(|t| t.as_str()).into()),
        ("confidence", t.confidence.into()),
        ("bot_turns", t.bot_turns.into()),
        ("first_response_at", t.first_response_at.into()),
        ("resolved_at", t.resolved_at.into()),
        ("updated_at", t.updated_at.into()),
        ("claimed_by", t.claimed_by.clone().into()),
        ("escalated_at", t.escalated_at.into()),
        ("human_response_at", t.human_response_at.into()),
        ("csat", t.csat.into()),
        ("priority", t.priority.clone().into()),
        ("sla_stage", t.sla_stage.into()),
        ("triage_offline", t.triage_offline.as_ref().map(json).into()),
        ("triage_llm", t.triage_llm.as_ref().map(json).into()),
        ("prompt_version", t.prompt_version.clone().into()),
    ]
}

/// Appends the ticket's write to `s`, returning `returning` when it took effect: a new ticket is
/// inserted (nothing, when its thread already has one or its id is taken), a known one moves only
/// from the version that was read (nothing, when someone else moved it first).
pub(super) fn write_ticket(s: &mut Script, t: &Ticket, opens: bool, returning: &str) {
    let moving = moving_columns(t);
    if opens {
        let fixed: [(&str, Val); 8] = [
            ("id", t.id.into()),
            ("platform", t.platform.as_str().into()),
            ("channel", t.channel.as_str().into()),
            ("thread", t.thread.as_str().into()),
            ("customer", t.customer.as_str().into()),
            ("subject", t.subject.as_str().into()),
            ("opened_at", t.opened_at.into()),
            ("version", t.version.into()),
        ];
        let (names, vals): (Vec<&str>, Vec<Val>) = fixed.into_iter().chain(moving).unzip();
        let row = s.row(vals);
        s.push(&format!(
            "INSERT INTO tickets ({}) VALUES {row} ON CONFLICT DO NOTHING RETURNING {returning};\n",
            names.join(", ")
        ));
    } else {
        let sets: Vec<String> = moving
            .into_iter()
            .map(|(name, v)| format!("{name} = {}", s.param(v)))
            .collect();
        let (id, version) = (s.param(t.id), s.param(t.version));
        s.push(&format!(
            "UPDATE tickets SET {}, version = version + 1 WHERE id = {id} AND version = {version} RETURNING {returning};\n",
            sets.join(", ")
        ));
    }
}

fn json(t: &crate::domain::Triage) -> String {
    serde_json::to_string(t).expect("a triage serialises")
}

/// Marks a commit's inbox event processed, only if nobody did before (a row = this commit won).
pub(super) const MARK_INBOX: &str =
    "UPDATE inbox SET processed_at = $1 WHERE key = $2 AND processed_at IS NULL";

/// Stores a commit's event already processed, or marks the row a redelivery stored first (a row
/// affected = this commit won).
pub(super) const STORE_INBOX: &str = "INSERT INTO inbox (key, source, payload, received_at, processed_at) VALUES ($1, $2, $3, $4, $4) \
     ON CONFLICT (key) DO UPDATE SET processed_at = excluded.processed_at WHERE inbox.processed_at IS NULL";

/// Stores the commit's event processed, or marks it; `AlreadyProcessed` when another commit did.
async fn mark_inbox(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    c: &Commit,
) -> Result<(), StoreError> {
    if let Some(key) = &c.inbox_key {
        let marked = match &c.unstored {
            Some(e) => {
                sqlx::query(STORE_INBOX)
                    .bind(key)
                    .bind(&e.source)
                    .bind(&e.payload)
                    .bind(c.now)
                    .execute(&mut **tx)
                    .await
            }
            None => {
                sqlx::query(MARK_INBOX)
                    .bind(c.now)
                    .bind(key)
                    .execute(&mut **tx)
                    .await
            }
        }
        .map_err(db_err)?;
        if marked.rows_affected() == 0 {
            return Err(StoreError::AlreadyProcessed(key.clone()));
        }
    }
    Ok(())
}

/// One transaction, one statement per row: the portable path (Postgres).
async fn commit_tx(pool: &sqlx::AnyPool, c: &Commit) -> Result<Vec<i64>, StoreError> {
    let mut tx = pool.begin().await.map_err(db_err)?;
    // First, so two replicas handling one redelivered event serialise on the inbox row: the loser
    // finds it processed and changes nothing.
    mark_inbox(&mut tx, c).await?;
    if let Some(t) = &c.ticket {
        let mut s = Script::default();
        write_ticket(&mut s, t, c.opens_ticket, "id");
        let written: Vec<(i64,)> = s.query().fetch_all(&mut *tx).await.map_err(db_err)?;
        if written.is_empty() {
            return Err(StoreError::Conflict(if c.opens_ticket {
                format!("thread {} already has a ticket", t.thread)
            } else {
                format!("ticket #{} changed concurrently", t.id)
            }));
        }
    }
    let mut ids = Vec::with_capacity(c.outbox.len());
    for o in &c.outbox {
        ids.push(super::outbox::insert(&mut tx, o, c.now).await?);
    }
    write_cards(&mut tx, c, &ids).await?;
    for (ticket_id, m) in &c.messages {
        sqlx::query("INSERT INTO ticket_messages (ticket_id, author_kind, author, text, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(ticket_id)
            .bind(&m.author_kind)
            .bind(&m.author)
            .bind(&m.text)
            .bind(m.at)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
    }
    for a in &c.audit {
        insert_audit(a).execute(&mut *tx).await.map_err(db_err)?;
    }
    super::gaps::insert_gaps(&mut tx, &c.gaps).await?;
    tx.commit().await.map_err(db_err)?;
    Ok(ids)
}
