//! Approvals: reading requests, and writing them inside a commit — inserted with their card, updated
//! only if nobody changed them since they were read (the version check that makes one click win).

use super::{SqlStore, db_err};
use crate::domain::ports::{ApprovalStore, StoreError};
use crate::domain::{Approval, ApprovalKind, ApprovalState, Millis, Platform};
use async_trait::async_trait;
use sqlx::AnyConnection;

const COLUMNS: &str = "id, kind, params, action_hash, summary, reason, requested_by, platform, channel, thread, card, state, approved_by, \
     decided_by, deny_reason, quorum, allow_self, expires_at, warn_at, warned, result, created_at, updated_at, version";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    params: String,
    action_hash: String,
    summary: String,
    reason: String,
    requested_by: String,
    platform: String,
    channel: String,
    thread: Option<String>,
    card: Option<i64>,
    state: String,
    approved_by: String,
    decided_by: Option<String>,
    deny_reason: Option<String>,
    quorum: i64,
    allow_self: i64,
    expires_at: i64,
    warn_at: i64,
    warned: i64,
    result: Option<String>,
    created_at: i64,
    updated_at: i64,
    version: i64,
}

impl TryFrom<Row> for Approval {
    type Error = StoreError;

    fn try_from(r: Row) -> Result<Approval, StoreError> {
        let corrupt =
            |what: &str| StoreError::Other(format!("approval {} has an unreadable {what}", r.id));
        Ok(Approval {
            platform: Platform::parse(&r.platform).ok_or_else(|| corrupt("platform"))?,
            state: ApprovalState::parse(&r.state).ok_or_else(|| corrupt("state"))?,
            approved_by: serde_json::from_str(&r.approved_by)
                .map_err(|_| corrupt("approver list"))?,
            id: r.id,
            kind: ApprovalKind::parse(&r.kind)
                .map_err(|e| StoreError::Other(format!("approval {}: {e}", r.id)))?,
            params: r.params,
            action_hash: r.action_hash,
            summary: r.summary,
            reason: r.reason,
            requested_by: r.requested_by,
            channel: r.channel,
            thread: r.thread,
            card: r.card,
            decided_by: r.decided_by,
            deny_reason: r.deny_reason,
            quorum: r.quorum as u32,
            allow_self: r.allow_self != 0,
            expires_at: r.expires_at,
            warn_at: r.warn_at,
            warned: r.warned != 0,
            result: r.result,
            created_at: r.created_at,
            updated_at: r.updated_at,
            version: r.version,
        })
    }
}

fn rows(rows: Vec<Row>) -> Result<Vec<Approval>, StoreError> {
    rows.into_iter().map(Approval::try_from).collect()
}

/// Inserts a new request (inside the commit's transaction).
pub(super) async fn insert(conn: &mut AnyConnection, a: &Approval) -> Result<(), StoreError> {
    let approvers =
        serde_json::to_string(&a.approved_by).map_err(|e| StoreError::Other(e.to_string()))?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO approvals ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)"
    )))
    .bind(a.id)
    .bind(a.kind.name())
    .bind(&a.params)
    .bind(&a.action_hash)
    .bind(&a.summary)
    .bind(&a.reason)
    .bind(&a.requested_by)
    .bind(a.platform.as_str())
    .bind(&a.channel)
    .bind(a.thread.as_deref())
    .bind(a.card)
    .bind(a.state.as_str())
    .bind(approvers)
    .bind(a.decided_by.as_deref())
    .bind(a.deny_reason.as_deref())
    .bind(a.quorum as i64)
    .bind(a.allow_self as i64)
    .bind(a.expires_at)
    .bind(a.warn_at)
    .bind(a.warned as i64)
    .bind(a.result.as_deref())
    .bind(a.created_at)
    .bind(a.updated_at)
    .bind(a.version)
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Writes a changed request if its version is still the one read; `Conflict` otherwise.
pub(super) async fn update(conn: &mut AnyConnection, a: &Approval) -> Result<(), StoreError> {
    let approvers =
        serde_json::to_string(&a.approved_by).map_err(|e| StoreError::Other(e.to_string()))?;
    let done = sqlx::query(
        "UPDATE approvals SET state = $1, approved_by = $2, decided_by = $3, deny_reason = $4, warned = $5, result = $6, updated_at = $7, \
         card = $8, params = $11, action_hash = $12, summary = $13, version = version + 1 WHERE id = $9 AND version = $10",
    )
    .bind(a.state.as_str())
    .bind(approvers)
    .bind(a.decided_by.as_deref())
    .bind(a.deny_reason.as_deref())
    .bind(a.warned as i64)
    .bind(a.result.as_deref())
    .bind(a.updated_at)
    .bind(a.card)
    .bind(a.id)
    .bind(a.version)
    .bind(&a.params)
    .bind(&a.action_hash)
    .bind(&a.summary)
    .execute(conn)
    .await
    .map_err(db_err)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(format!(
            "approval {} changed concurrently",
            a.id
        )));
    }
    Ok(())
}

#[async_trait]
impl ApprovalStore for SqlStore {
    async fn approval(&self, id: i64) -> Result<Option<Approval>, StoreError> {
        let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM approvals WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await
        .map_err(db_err)?;
        row.map(Approval::try_from).transpose()
    }

    async fn approvals(
        &self,
        states: &[ApprovalState],
        limit: i64,
    ) -> Result<Vec<Approval>, StoreError> {
        let list: Vec<String> = states.iter().map(|s| format!("'{}'", s.as_str())).collect();
        let filter = if list.is_empty() {
            String::new()
        } else {
            format!("WHERE state IN ({})", list.join(", "))
        };
        let r: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM approvals {filter} ORDER BY created_at DESC LIMIT $1"
        )))
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        rows(r)
    }

    async fn approvals_due(&self, now: Millis) -> Result<Vec<Approval>, StoreError> {
        let r: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM approvals WHERE state = 'pending' AND (expires_at <= $1 OR (warned = 0 AND warn_at <= $1)) ORDER BY expires_at LIMIT 100"
        )))
        .bind(now)
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        rows(r)
    }
}
