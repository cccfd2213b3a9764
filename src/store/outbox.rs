//! Outbox: persisted outbound messages, leased to a sender, retried until delivered or failed for good.
//! Leases expire, so a sender that crashes mid-delivery loses nothing: another claims the row again.

use super::{Backend, SqlStore, db_err};
use crate::domain::ports::{Outbound, OutboundOp, OutboxItem, OutboxStore, StoreError};
use crate::domain::{Millis, Platform};
use async_trait::async_trait;

const DUE: &str =
    "((state = 'pending' AND not_before <= $3) OR (state = 'sending' AND lease_until < $3))";

fn claim_sql(backend: Backend) -> String {
    match backend {
        // A locking CTE is evaluated once; `id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)` may be
        // re-run by the planner and claim more than n rows (seen in the contract test). SKIP LOCKED
        // lets replicas claim different rows instead of queueing on the same ones.
        Backend::Postgres => format!(
            "WITH due AS (SELECT id FROM outbox WHERE {DUE} ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED) \
             UPDATE outbox SET state = 'sending', lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
             FROM due WHERE outbox.id = due.id RETURNING outbox.id, outbox.body, outbox.attempts"
        ),
        // SQLite has one writer at a time, so the plain form is already exclusive; the outer repeat of
        // DUE keeps the statement correct on its own.
        Backend::Sqlite => format!(
            "UPDATE outbox SET state = 'sending', lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox WHERE {DUE} ORDER BY id LIMIT $4) AND {DUE} \
             RETURNING id, body, attempts"
        ),
    }
}

/// An edit of a message supersedes a pending edit of the same message (an alert storm edits its card
/// thousands of times; only the latest content is worth sending).
fn supersede_key(o: &Outbound) -> Option<String> {
    match &o.op {
        OutboundOp::Update { target } => Some(format!(
            "{}:{}:{}",
            o.platform.as_str(),
            o.channel,
            serde_json::to_string(target).ok()?
        )),
        _ => None,
    }
}

/// Inserts one row inside a transaction, or folds an edit into a pending edit of the same message.
pub(super) async fn insert(
    conn: &mut sqlx::AnyConnection,
    o: &Outbound,
    now: Millis,
) -> Result<i64, StoreError> {
    let body = serde_json::to_string(o).map_err(|e| StoreError::Other(e.to_string()))?;
    let key = supersede_key(o);
    if let Some(k) = &key {
        let folded: Option<i64> =
            sqlx::query_scalar("UPDATE outbox SET body = $1 WHERE supersede = $2 AND state = 'pending' AND attempts = 0 RETURNING id")
                .bind(&body)
                .bind(k)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db_err)?;
        if let Some(id) = folded {
            return Ok(id);
        }
    }
    sqlx::query_scalar(
        "INSERT INTO outbox (platform, channel, body, state, attempts, not_before, created_at, supersede) \
         VALUES ($1, $2, $3, 'pending', 0, $4, $4, $5) RETURNING id",
    )
    .bind(o.platform.as_str())
    .bind(&o.channel)
    .bind(body)
    .bind(now)
    .bind(key)
    .fetch_one(conn)
    .await
    .map_err(db_err)
}

#[async_trait]
impl OutboxStore for SqlStore {
    async fn outbox_claim(
        &self,
        owner: &str,
        now: Millis,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        let guard = self.write_guard().await;
        let rows: Vec<(i64, String, i64)> =
            sqlx::query_as(sqlx::AssertSqlSafe(claim_sql(self.kind())))
                .bind(owner)
                .bind(now + lease_ms)
                .bind(now)
                .bind(limit)
                .fetch_all(self.pool())
                .await
                .map_err(db_err)?;
        drop(guard); // outbox_failed below takes it again
        let mut items = Vec::with_capacity(rows.len());
        for (id, body, attempts) in rows {
            match serde_json::from_str::<Outbound>(&body) {
                Ok(msg) => items.push(OutboxItem { id, attempts, msg }),
                // A row this version cannot read is parked as failed with the reason, never retried forever.
                Err(e) => {
                    self.outbox_failed(id, &format!("unreadable body: {e}"))
                        .await?
                }
            }
        }
        items.sort_by_key(|i| i.id);
        Ok(items)
    }

    async fn outbox_sent(
        &self,
        id: i64,
        platform_ref: Option<&str>,
        now: Millis,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "UPDATE outbox SET state = 'sent', platform_ref = $1, sent_at = $2, lease_owner = NULL, lease_until = NULL WHERE id = $3",
        )
        .bind(platform_ref)
        .bind(now)
        .bind(id)
        .execute(self.pool())
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn outbox_retry(
        &self,
        id: i64,
        not_before: Millis,
        error: &str,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "UPDATE outbox SET state = 'pending', not_before = $1, last_error = $2, lease_owner = NULL, lease_until = NULL WHERE id = $3",
        )
        .bind(not_before)
        .bind(error)
        .bind(id)
        .execute(self.pool())
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn outbox_defer(&self, id: i64, not_before: Millis, why: &str) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "UPDATE outbox SET state = 'pending', not_before = $1, last_error = $2, attempts = attempts - 1, lease_owner = NULL, \
             lease_until = NULL WHERE id = $3",
        )
        .bind(not_before)
        .bind(why)
        .bind(id)
        .execute(self.pool())
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn outbox_failed(&self, id: i64, error: &str) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query("UPDATE outbox SET state = 'failed', last_error = $1, lease_owner = NULL, lease_until = NULL WHERE id = $2")
            .bind(error)
            .bind(id)
            .execute(self.pool())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn outbox_ref(&self, id: i64) -> Result<Option<String>, StoreError> {
        let r: Option<(Option<String>,)> =
            sqlx::query_as("SELECT platform_ref FROM outbox WHERE id = $1 AND state = 'sent'")
                .bind(id)
                .fetch_optional(self.pool())
                .await
                .map_err(db_err)?;
        Ok(r.and_then(|(p,)| p))
    }

    async fn outbox_delivered(
        &self,
        platform: Platform,
        channel: &str,
        platform_ref: &str,
    ) -> Result<Option<Outbound>, StoreError> {
        let body: Option<String> = sqlx::query_scalar(
            "SELECT body FROM outbox WHERE platform_ref = $1 AND channel = $2 AND platform = $3 AND state = 'sent' ORDER BY id LIMIT 1",
        )
        .bind(platform_ref)
        .bind(channel)
        .bind(platform.as_str())
        .fetch_optional(self.pool())
        .await
        .map_err(db_err)?;
        Ok(body.and_then(|b| serde_json::from_str(&b).ok()))
    }

    async fn outbox_depth(&self) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')")
            .fetch_one(self.pool())
            .await
            .map_err(db_err)
    }
}
