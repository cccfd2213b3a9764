//! Tickets, their messages and customers; `commit` applies one handled event atomically.

use super::audit::insert_audit;
use super::rows::{TICKET_COLUMNS, TicketRow};
use super::{Backend, SqlStore, db_err};
use crate::domain::ports::{
    ApprovalWrite, Commit, Customer, OutboundOp, StoreError, ThreadKey, TicketFilter, TicketMessage, TicketStore, TierStats,
};
use crate::domain::{Millis, Platform, Ticket, TicketState};
use async_trait::async_trait;

#[async_trait]
impl TicketStore for SqlStore {
    async fn customer(&self, platform: Platform, user_id: &str) -> Result<Option<Customer>, StoreError> {
        let r: Option<(String, i64)> = sqlx::query_as("SELECT account_id, vip FROM customers WHERE platform = $1 AND user_id = $2")
            .bind(platform.as_str())
            .bind(user_id)
            .fetch_optional(self.pool())
            .await
            .map_err(db_err)?;
        Ok(r.map(|(account_id, vip)| Customer { platform, user_id: user_id.into(), account_id, vip: vip != 0 }))
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

    async fn ticket_for_thread(&self, key: &ThreadKey<'_>, customer: &str, subject: &str, now: Millis) -> Result<Ticket, StoreError> {
        let guard = self.write_guard().await;
        let inserted: Option<TicketRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO tickets (platform, channel, thread, customer, state, subject, opened_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'open', $5, $6, $6) ON CONFLICT (platform, channel, thread) DO NOTHING RETURNING {TICKET_COLUMNS}"
        )))
        .bind(key.platform.as_str())
        .bind(key.channel)
        .bind(key.thread)
        .bind(customer)
        .bind(subject)
        .bind(now)
        .fetch_optional(self.pool())
        .await
        .map_err(db_err)?;
        drop(guard);
        match inserted {
            Some(r) => r.try_into(),
            None => self.find_ticket(key).await?.ok_or_else(|| StoreError::NotFound(format!("ticket for thread {}", key.thread))),
        }
    }

    async fn ticket(&self, id: i64) -> Result<Option<Ticket>, StoreError> {
        let r: Option<TicketRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = $1")))
            .bind(id)
            .fetch_optional(self.pool())
            .await
            .map_err(db_err)?;
        r.map(TryInto::try_into).transpose()
    }

    async fn tickets(&self, filter: &TicketFilter) -> Result<Vec<Ticket>, StoreError> {
        // States are a closed enum, so inlining their names is safe.
        let states: Vec<String> = filter.states.iter().map(|s| format!("'{}'", s.as_str())).collect();
        let cond = if states.is_empty() { String::new() } else { format!("WHERE state IN ({})", states.join(", ")) };
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
        Ok(rows.into_iter().map(|(author_kind, author, text, at)| TicketMessage { author_kind, author, text, at }).collect())
    }

    async fn ticket_counts(&self) -> Result<Vec<(TicketState, i64)>, StoreError> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT state, COUNT(*) FROM tickets GROUP BY state").fetch_all(self.pool()).await.map_err(db_err)?;
        Ok(rows.into_iter().filter_map(|(s, n)| TicketState::parse(&s).map(|s| (s, n))).collect())
    }

    async fn tier_stats(&self, since: Millis) -> Result<Vec<TierStats>, StoreError> {
        // Casts keep Postgres from returning NUMERIC, which the Any driver cannot decode.
        type Row = (String, i64, Option<i64>, Option<f64>, Option<f64>, Option<i64>, i64, Option<f64>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT tier, COUNT(*), CAST(SUM(CASE WHEN state = 'resolved' THEN 1 ELSE 0 END) AS BIGINT), \
             CAST(AVG(first_response_at - opened_at) AS DOUBLE PRECISION), \
             CAST(AVG(resolved_at - opened_at) AS DOUBLE PRECISION), CAST(SUM(cost_micros) AS BIGINT), \
             COUNT(csat), CAST(AVG(csat) AS DOUBLE PRECISION) \
             FROM tickets WHERE tier IS NOT NULL AND opened_at >= $1 GROUP BY tier ORDER BY tier",
        )
        .bind(since)
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(|(tier, tickets, resolved, fr, rs, cost, ratings, csat)| TierStats {
                tier,
                tickets,
                resolved: resolved.unwrap_or(0),
                avg_first_response_ms: fr,
                avg_resolve_ms: rs,
                cost_micros: cost.unwrap_or(0),
                ratings,
                avg_csat: csat,
            })
            .collect())
    }

    async fn commit(&self, c: Commit) -> Result<Vec<i64>, StoreError> {
        let _w = self.write_guard().await;
        match self.kind() {
            // Approvals, alerts and edits (which supersede pending edits) take the portable path on SQLite too.
            Backend::Sqlite
                if c.approval.is_none()
                    && c.alert.is_none()
                    && c.storm.is_none()
                    && !c.outbox.iter().any(|o| matches!(o.op, OutboundOp::Update { .. })) =>
            {
                super::commit_sqlite::commit(self.pool(), &c).await
            }
            _ => commit_tx(self.pool(), &c).await,
        }
    }
}

/// Moves a ticket if nobody changed it since it was read ($17 = id, $18 = the version read).
const UPDATE_TICKET: &str = "UPDATE tickets SET state = $1, tier = $2, confidence = $3, bot_turns = $4, first_response_at = $5, \
     resolved_at = $6, updated_at = $7, claimed_by = $8, escalated_at = $9, human_response_at = $10, csat = $11, priority = $12, sla_stage = $13, \
     triage_offline = $14, triage_llm = $15, prompt_version = $16, version = version + 1 WHERE id = $17 AND version = $18";

/// How many parameters [`UPDATE_TICKET`] takes (statements after it in one script number theirs from here).
pub(super) const UPDATE_TICKET_PARAMS: usize = 18;

/// The version-checked ticket update as a query returning the ticket id (no row = someone else won);
/// `prefix` lets SQLite open its transaction in the same round trip.
pub(super) fn update_ticket<'q>(
    prefix: &str,
    t: &'q Ticket,
    suffix: &str,
) -> sqlx::query::QueryAs<'q, sqlx::Any, (i64,), sqlx::any::AnyArguments> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{prefix}{UPDATE_TICKET} RETURNING id{suffix}")))
        .bind(t.state.as_str())
        .bind(t.tier.map(|t| t.as_str()))
        .bind(t.confidence)
        .bind(t.bot_turns)
        .bind(t.first_response_at)
        .bind(t.resolved_at)
        .bind(t.updated_at)
        .bind(t.claimed_by.as_deref())
        .bind(t.escalated_at)
        .bind(t.human_response_at)
        .bind(t.csat)
        .bind(t.priority.as_deref())
        .bind(t.sla_stage)
        .bind(t.triage_offline.as_ref().map(json))
        .bind(t.triage_llm.as_ref().map(json))
        .bind(t.prompt_version.as_deref())
        .bind(t.id)
        .bind(t.version)
}

fn json(t: &crate::domain::Triage) -> String {
    serde_json::to_string(t).expect("a triage serialises")
}

/// Marks a commit's inbox event processed, only if nobody did before (a row = this commit won).
pub(super) const MARK_INBOX: &str = "UPDATE inbox SET processed_at = $1 WHERE key = $2 AND processed_at IS NULL";

/// [`MARK_INBOX`] with its parameters numbered from `first`, to follow other statements in one script.
pub(super) fn mark_inbox_from(first: usize) -> String {
    format!("UPDATE inbox SET processed_at = ${} WHERE key = ${} AND processed_at IS NULL", first, first + 1)
}

/// One transaction, one statement per row: the portable path (Postgres).
async fn commit_tx(pool: &sqlx::AnyPool, c: &Commit) -> Result<Vec<i64>, StoreError> {
    let mut tx = pool.begin().await.map_err(db_err)?;
    // First, so two replicas handling one redelivered event serialise on the inbox row: the loser
    // finds it processed and changes nothing.
    if let Some(key) = &c.inbox_key {
        let marked = sqlx::query(MARK_INBOX).bind(c.now).bind(key).execute(&mut *tx).await.map_err(db_err)?;
        if marked.rows_affected() == 0 {
            return Err(StoreError::AlreadyProcessed(key.clone()));
        }
    }
    if let Some(t) = &c.ticket {
        let moved = update_ticket("", t, "").fetch_all(&mut *tx).await.map_err(db_err)?;
        if moved.is_empty() {
            return Err(StoreError::Conflict(format!("ticket #{} changed concurrently", t.id)));
        }
    }
    let mut ids = Vec::with_capacity(c.outbox.len());
    for o in &c.outbox {
        ids.push(super::outbox::insert(&mut tx, o, c.now).await?);
    }
    match &c.approval {
        Some(ApprovalWrite::Insert(a)) => {
            let mut a = a.clone();
            a.card = a.card.or(ids.first().copied());
            super::approvals::insert(&mut tx, &a).await?;
        }
        Some(ApprovalWrite::Update(a)) => super::approvals::update(&mut tx, a).await?,
        None => {}
    }
    if let Some(w) = &c.storm {
        let mut st = w.storm.clone();
        if let Some(i) = w.card_index {
            st.card = ids[i];
        }
        super::alerts::put_storm(&mut tx, &st).await?;
    }
    if let Some(w) = &c.alert {
        let mut g = w.group.clone();
        if let Some(i) = w.card_index {
            g.card = Some(ids[i]);
        }
        if let Some(i) = w.storm_index {
            g.storm = Some(ids[i]);
        }
        super::alerts::update(&mut tx, &g).await?;
    }
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
    tx.commit().await.map_err(db_err)?;
    Ok(ids)
}
