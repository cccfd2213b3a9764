//! The append-only audit log (the schema's triggers refuse updates and deletes).

use super::rows::AuditRow;
use super::{SqlStore, db_err};
use crate::domain::ports::{AuditEntry, AuditStore, StoreError};
use async_trait::async_trait;

pub(super) const INSERT_AUDIT: &str = "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)";

#[async_trait]
impl AuditStore for SqlStore {
    async fn audit(&self, e: &AuditEntry) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(INSERT_AUDIT)
            .bind(e.at)
            .bind(&e.actor)
            .bind(&e.action)
            .bind(&e.subject)
            .bind(&e.detail)
            .execute(self.pool())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn audit_recent(&self, n: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let rows: Vec<AuditRow> = sqlx::query_as("SELECT at, actor, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT $1")
            .bind(n)
            .fetch_all(self.pool())
            .await
            .map_err(db_err)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}
