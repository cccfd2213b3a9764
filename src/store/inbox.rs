//! Inbox: every inbound event is stored under its unique key before it is acknowledged.

use super::{SqlStore, db_err};
use crate::domain::ports::{InboxPut, InboxStore, StoreError};
use crate::domain::{Millis, Platform};
use async_trait::async_trait;

#[async_trait]
impl InboxStore for SqlStore {
    async fn inbox_put(&self, key: &str, source: &str, payload: &str, now: Millis) -> Result<InboxPut, StoreError> {
        let _w = self.write_guard().await;
        let done =
            sqlx::query("INSERT INTO inbox (key, source, payload, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING")
                .bind(key)
                .bind(source)
                .bind(payload)
                .bind(now)
                .execute(self.pool())
                .await
                .map_err(db_err)?;
        if done.rows_affected() == 1 {
            return Ok(InboxPut::New);
        }
        let processed: Option<i64> =
            sqlx::query_scalar("SELECT processed_at FROM inbox WHERE key = $1").bind(key).fetch_one(self.pool()).await.map_err(db_err)?;
        Ok(if processed.is_some() { InboxPut::Duplicate } else { InboxPut::Unprocessed })
    }

    async fn inbox_unprocessed(&self, older_than: Millis, limit: i64) -> Result<Vec<(String, String)>, StoreError> {
        sqlx::query_as("SELECT key, payload FROM inbox WHERE processed_at IS NULL AND received_at <= $1 ORDER BY received_at, key LIMIT $2")
            .bind(older_than)
            .bind(limit)
            .fetch_all(self.pool())
            .await
            .map_err(db_err)
    }

    async fn cursor(&self, platform: Platform, channel: &str) -> Result<Option<i64>, StoreError> {
        sqlx::query_scalar("SELECT last_id FROM cursors WHERE platform = $1 AND channel = $2")
            .bind(platform.as_str())
            .bind(channel)
            .fetch_optional(self.pool())
            .await
            .map_err(db_err)
    }

    async fn cursor_advance(&self, platform: Platform, channel: &str, id: i64) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "INSERT INTO cursors (platform, channel, last_id) VALUES ($1, $2, $3) ON CONFLICT (platform, channel) DO UPDATE \
             SET last_id = CASE WHEN excluded.last_id > cursors.last_id THEN excluded.last_id ELSE cursors.last_id END",
        )
        .bind(platform.as_str())
        .bind(channel)
        .bind(id)
        .execute(self.pool())
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn inbox_mark(&self, key: &str, now: Millis, error: Option<&str>) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query("UPDATE inbox SET processed_at = $1, error = $2 WHERE key = $3")
            .bind(now)
            .bind(error)
            .bind(key)
            .execute(self.pool())
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
