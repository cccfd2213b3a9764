//! Inbox: every inbound event is stored under its unique key before it is acknowledged.

use super::group::{Done, Job};
use super::script::Script;
use super::{Backend, SqlStore, db_err};
use crate::domain::ports::{InboxPut, InboxStore, StoreError};
use crate::domain::{Millis, Platform};
use async_trait::async_trait;

#[async_trait]
impl InboxStore for SqlStore {
    async fn inbox_put(
        &self,
        key: &str,
        source: &str,
        payload: &str,
        now: Millis,
    ) -> Result<InboxPut, StoreError> {
        if self.kind() == Backend::Sqlite {
            let job = Job::Inbox {
                key: key.into(),
                source: source.into(),
                payload: payload.into(),
                now,
            };
            return match self.submit(job).await? {
                Done::Inbox(put) => Ok(put),
                Done::Commit(_) => Err(StoreError::Other(
                    "group commit answered an inbox put with a commit result".into(),
                )),
            };
        }
        // Postgres takes one statement per prepared query.
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
            sqlx::query_scalar("SELECT processed_at FROM inbox WHERE key = $1")
                .bind(key)
                .fetch_one(self.pool())
                .await
                .map_err(db_err)?;
        Ok(if processed.is_some() {
            InboxPut::Duplicate
        } else {
            InboxPut::Unprocessed
        })
    }

    async fn inbox_unprocessed(
        &self,
        older_than: Millis,
        limit: i64,
    ) -> Result<Vec<(String, String)>, StoreError> {
        sqlx::query_as("SELECT key, payload FROM inbox WHERE processed_at IS NULL AND received_at <= $1 ORDER BY received_at, key LIMIT $2")
            .bind(older_than)
            .bind(limit)
            .fetch_all(self.pool())
            .await
            .map_err(db_err)
    }

    async fn inbox_prune(&self, processed_before: Millis, limit: i64) -> Result<u64, StoreError> {
        let _w = self.write_guard().await;
        // Processed rows are in no index (see migration 0012): the scan walks the table in the order
        // rows were stored, so the oldest, the ones deleted, come first.
        let done = sqlx::query(
            "DELETE FROM inbox WHERE key IN \
             (SELECT key FROM inbox WHERE processed_at IS NOT NULL AND processed_at < $1 LIMIT $2)",
        )
        .bind(processed_before)
        .bind(limit)
        .execute(self.pool())
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected())
    }

    async fn cursor(&self, platform: Platform, channel: &str) -> Result<Option<i64>, StoreError> {
        sqlx::query_scalar("SELECT last_id FROM cursors WHERE platform = $1 AND channel = $2")
            .bind(platform.as_str())
            .bind(channel)
            .fetch_optional(self.pool())
            .await
            .map_err(db_err)
    }

    async fn cursor_advance(
        &self,
        platform: Platform,
        channel: &str,
        id: i64,
    ) -> Result<(), StoreError> {
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

    async fn inbox_mark(
        &self,
        key: &str,
        now: Millis,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
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

/// Row tags: the event was stored now; it was stored before (value 1 when already processed).
const STORED: i64 = 3;
const KNOWN: i64 = 4;

/// SQLite: stores an event unless its key is known, and reads whether it was processed, in one
/// round trip (two statements in one script).
pub(super) fn inbox_script(s: &mut Script, key: &str, source: &str, payload: &str, now: Millis) {
    let (k, src, p, n) = (
        s.param(key),
        s.param(source),
        s.param(payload),
        s.param(now),
    );
    s.push(&format!(
        "INSERT INTO inbox (key, source, payload, received_at) VALUES ({k}, {src}, {p}, {n}) ON CONFLICT (key) DO NOTHING \
         RETURNING {STORED}, 0;\nSELECT {KNOWN}, CASE WHEN processed_at IS NULL THEN 0 ELSE 1 END FROM inbox WHERE key = {k};\n"
    ));
}

pub(super) fn inbox_outcome(key: &str, rows: &[(i64, i64)]) -> Result<InboxPut, StoreError> {
    if rows.iter().any(|r| r.0 == STORED) {
        return Ok(InboxPut::New);
    }
    match rows.iter().find(|r| r.0 == KNOWN) {
        Some((_, 1)) => Ok(InboxPut::Duplicate),
        Some(_) => Ok(InboxPut::Unprocessed),
        None => Err(StoreError::Other(format!(
            "inbox event {key} was neither stored nor found"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::super::SqlStore;
    use crate::domain::ports::{Commit, InboxStore, TicketStore};

    async fn plan(s: &SqlStore, sql: &str) -> String {
        let rows: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                .fetch_all(s.pool())
                .await
                .unwrap();
        rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("; ")
    }

    /// Handling a message writes fewer pages when the indexes hold only what is looked up (the
    /// unprocessed events, the outbox rows that have a platform reference), and the lookups still use them.
    #[tokio::test]
    async fn partial_indexes_hold_only_what_is_looked_up_and_are_used() {
        let (s, _dir) = super::super::temp_sqlite(2).await;
        for (index, only) in [
            ("inbox_unprocessed", "WHERE processed_at IS NULL"),
            ("outbox_platform_ref", "WHERE platform_ref IS NOT NULL"),
        ] {
            let sql: String = sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE name = $1")
                .bind(index)
                .fetch_one(s.pool())
                .await
                .unwrap();
            assert!(sql.ends_with(only), "{sql}");
        }
        let unprocessed =
            plan(&s, "SELECT key, payload FROM inbox WHERE processed_at IS NULL AND received_at <= 1 ORDER BY received_at, key LIMIT 5")
                .await;
        assert!(
            unprocessed.contains("USING INDEX inbox_unprocessed")
                && !unprocessed.contains("TEMP B-TREE"),
            "{unprocessed}"
        );
        let by_ref = plan(&s, "SELECT body FROM outbox WHERE platform_ref = 'r' AND channel = 'c' AND platform = 'slack'").await;
        assert!(
            by_ref.contains("USING INDEX outbox_platform_ref"),
            "{by_ref}"
        );

        s.inbox_put("k1", "test", "{}", 1).await.unwrap();
        s.inbox_put("k2", "test", "{}", 1).await.unwrap();
        s.commit(Commit {
            inbox_key: Some("k1".into()),
            now: 2,
            ..Default::default()
        })
        .await
        .unwrap();
        assert_eq!(
            s.inbox_unprocessed(9, 10).await.unwrap(),
            vec![("k2".to_string(), "{}".to_string())]
        );
    }
}
