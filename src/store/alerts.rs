//! Alert groups: read by source and key, written inside a commit (inserted with their card, or updated
//! with a version check so two batches for one group cannot both win).

use super::{SqlStore, db_err};
use crate::domain::Platform;
use crate::domain::alert::AlertGroup;
use crate::domain::ports::{AlertStore, StoreError};
use async_trait::async_trait;
use sqlx::AnyConnection;

const COLUMNS: &str = "id, source, group_key, title, severity, firing, firing_count, resolved_count, updates, first_seen, last_change, \
     resolved_at, card, platform, channel, version";

type Row = (i64, String, String, String, String, i64, i64, i64, i64, i64, i64, Option<i64>, Option<i64>, String, String, i64);

fn group(r: Row) -> Result<AlertGroup, StoreError> {
    let (
        id,
        source,
        group_key,
        title,
        severity,
        firing,
        firing_count,
        resolved_count,
        updates,
        first_seen,
        last_change,
        resolved_at,
        card,
        platform,
        channel,
        version,
    ) = r;
    Ok(AlertGroup {
        platform: Platform::parse(&platform).ok_or_else(|| StoreError::Other(format!("alert group {id} has an unknown platform")))?,
        id,
        source,
        group_key,
        title,
        severity,
        firing: firing != 0,
        firing_count,
        resolved_count,
        updates,
        first_seen,
        last_change,
        resolved_at,
        card,
        channel,
        version,
    })
}

/// Inserts a new group; `Conflict` if another batch created it first.
pub(super) async fn insert(conn: &mut AnyConnection, g: &AlertGroup) -> Result<i64, StoreError> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO alert_groups (source, group_key, title, severity, firing, firing_count, resolved_count, updates, first_seen, last_change, \
         resolved_at, card, platform, channel, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 0) \
         ON CONFLICT (source, group_key) DO NOTHING RETURNING id",
    )
    .bind(&g.source)
    .bind(&g.group_key)
    .bind(&g.title)
    .bind(&g.severity)
    .bind(g.firing as i64)
    .bind(g.firing_count)
    .bind(g.resolved_count)
    .bind(g.updates)
    .bind(g.first_seen)
    .bind(g.last_change)
    .bind(g.resolved_at)
    .bind(g.card)
    .bind(g.platform.as_str())
    .bind(&g.channel)
    .fetch_optional(conn)
    .await
    .map_err(db_err)?;
    id.ok_or_else(|| StoreError::Conflict(format!("alert group {} was created concurrently", g.group_key)))
}

pub(super) async fn update(conn: &mut AnyConnection, g: &AlertGroup) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE alert_groups SET title = $1, severity = $2, firing = $3, firing_count = $4, resolved_count = $5, updates = $6, first_seen = $7, \
         last_change = $8, resolved_at = $9, card = $10, version = version + 1 WHERE id = $11 AND version = $12",
    )
    .bind(&g.title)
    .bind(&g.severity)
    .bind(g.firing as i64)
    .bind(g.firing_count)
    .bind(g.resolved_count)
    .bind(g.updates)
    .bind(g.first_seen)
    .bind(g.last_change)
    .bind(g.resolved_at)
    .bind(g.card)
    .bind(g.id)
    .bind(g.version)
    .execute(conn)
    .await
    .map_err(db_err)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(format!("alert group {} changed concurrently", g.id)));
    }
    Ok(())
}

#[async_trait]
impl AlertStore for SqlStore {
    async fn alert_group(&self, source: &str, key: &str) -> Result<Option<AlertGroup>, StoreError> {
        let row: Option<Row> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM alert_groups WHERE source = $1 AND group_key = $2")))
                .bind(source)
                .bind(key)
                .fetch_optional(self.pool())
                .await
                .map_err(db_err)?;
        row.map(group).transpose()
    }

    async fn alert_groups(&self, firing_only: bool, limit: i64) -> Result<Vec<AlertGroup>, StoreError> {
        let filter = if firing_only { "WHERE firing = 1" } else { "" };
        let rows: Vec<Row> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM alert_groups {filter} ORDER BY last_change DESC LIMIT $1")))
                .bind(limit)
                .fetch_all(self.pool())
                .await
                .map_err(db_err)?;
        rows.into_iter().map(group).collect()
    }
}
