//! Named leases, one holder at a time: one conditional upsert takes a free or expired lease or renews
//! the holder's own, and reading the row back says who holds it. The same SQL on SQLite and Postgres.

use super::{SqlStore, db_err};
use crate::domain::Millis;
use crate::domain::ports::StoreError;

pub(super) async fn take(
    s: &SqlStore,
    name: &str,
    holder: &str,
    until: Millis,
    now: Millis,
) -> Result<bool, StoreError> {
    let _w = s.write_guard().await;
    let mut tx = s.begin_write().await?;
    sqlx::query(
        "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
         WHERE leases.holder = excluded.holder OR leases.expires_at <= $4",
    )
    .bind(name)
    .bind(holder)
    .bind(until)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(db_err)?;
    let held: String = sqlx::query_scalar("SELECT holder FROM leases WHERE name = $1")
        .bind(name)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
    tx.commit().await.map_err(db_err)?;
    Ok(held == holder)
}

pub(super) async fn release(s: &SqlStore, name: &str, holder: &str) -> Result<(), StoreError> {
    let _w = s.write_guard().await;
    sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
        .bind(name)
        .bind(holder)
        .execute(s.pool())
        .await
        .map_err(db_err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use sqlx::Executor;
    use std::time::Duration;

    /// A write transaction holds SQLite's write lock from its `BEGIN`: another process trying to
    /// write meanwhile is told the database is busy, instead of our read-then-write failing at once.
    #[tokio::test]
    async fn a_write_transaction_locks_from_its_begin() {
        let (s, dir) = super::super::temp_sqlite(4).await;
        let tx = s.begin_write().await.unwrap();
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let other = super::super::SqlStore::connect(&url, 1, Duration::ZERO)
            .await
            .unwrap();
        let mut conn = other.pool().acquire().await.unwrap();
        conn.execute("PRAGMA busy_timeout = 0").await.unwrap();
        let err = conn.execute("BEGIN IMMEDIATE").await.unwrap_err();
        assert!(err.to_string().contains("locked"), "{err}");
        tx.rollback().await.unwrap();
        conn.execute("BEGIN IMMEDIATE").await.unwrap();
        conn.execute("ROLLBACK").await.unwrap();
    }
}
