//! The append-only audit log (the schema's triggers refuse updates and deletes).

use super::rows::AuditRow;
use super::{SqlStore, db_err};
use crate::domain::AuditAction;
use crate::domain::ports::{AuditEntry, AuditStore, StoreError};
use async_trait::async_trait;

/// The insert of one audit entry, for the audit port and for commits.
pub(super) fn insert_audit(
    e: &AuditEntry,
) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(e.at)
    .bind(&e.actor)
    .bind(e.action.name().into_owned())
    .bind(&e.subject)
    .bind(&e.detail)
}

#[async_trait]
impl AuditStore for SqlStore {
    async fn audit(&self, e: &AuditEntry) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        insert_audit(e).execute(self.pool()).await.map_err(db_err)?;
        Ok(())
    }

    async fn audit_recent(&self, n: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT at, actor, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT $1",
        )
        .bind(n)
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn audit_count(&self, action: &AuditAction, since: i64) -> Result<i64, StoreError> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND at >= $2")
                .bind(action.name().into_owned())
                .bind(since)
                .fetch_one(self.pool())
                .await
                .map_err(db_err)?;
        Ok(n)
    }
}
