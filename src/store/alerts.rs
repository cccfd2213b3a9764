//! Alert groups: read by source and key, written inside a commit (inserted with their card, or updated
//! with a version check so two batches for one group cannot both win).

use super::{SqlStore, db_err};
use crate::domain::alert::{AlertGroup, AlertStorm};
use crate::domain::alert_actions::StormStats;
use crate::domain::ports::{AlertStore, StoreError};
use crate::domain::{Millis, Platform};
use async_trait::async_trait;
use sqlx::AnyConnection;

const COLUMNS: &str = "id, source, group_key, title, severity, firing, firing_count, resolved_count, updates, first_seen, last_change, \
     resolved_at, card, platform, channel, version, labels, carded_at, storm, acked_by, acked_at, silenced_until, silence_id, detail";

type Row = (
    (
        i64,
        String,
        String,
        String,
        String,
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
        Option<i64>,
        Option<i64>,
        String,
        String,
        i64,
    ),
    (
        String,
        Option<i64>,
        Option<i64>,
        Option<String>,
        Option<i64>,
        Option<i64>,
        Option<String>,
        String,
    ),
);

/// Reads the row in two tuples (sqlx decodes tuples of at most 16).
fn split(r: &sqlx::any::AnyRow) -> Result<Row, sqlx::Error> {
    use sqlx::Row as _;
    Ok((
        (
            r.try_get(0)?,
            r.try_get(1)?,
            r.try_get(2)?,
            r.try_get(3)?,
            r.try_get(4)?,
            r.try_get(5)?,
            r.try_get(6)?,
            r.try_get(7)?,
            r.try_get(8)?,
            r.try_get(9)?,
            r.try_get(10)?,
            r.try_get(11)?,
            r.try_get(12)?,
            r.try_get(13)?,
            r.try_get(14)?,
            r.try_get(15)?,
        ),
        (
            r.try_get(16)?,
            r.try_get(17)?,
            r.try_get(18)?,
            r.try_get(19)?,
            r.try_get(20)?,
            r.try_get(21)?,
            r.try_get(22)?,
            r.try_get(23)?,
        ),
    ))
}

fn group(r: Row) -> Result<AlertGroup, StoreError> {
    let (r, (labels, carded_at, storm, acked_by, acked_at, silenced_until, silence_id, detail)) = r;
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
        platform: Platform::parse(&platform).ok_or_else(|| {
            StoreError::Other(format!("alert group {id} has an unknown platform"))
        })?,
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
        labels: serde_json::from_str(&labels)
            .map_err(|e| StoreError::Other(format!("alert group {id} has bad labels: {e}")))?,
        carded_at,
        storm,
        acked_by,
        acked_at,
        silenced_until,
        silence_id,
        detail: serde_json::from_str(&detail).map_err(|e| {
            StoreError::Other(format!("alert group {id} has a bad card detail: {e}"))
        })?,
    })
}

fn labels(g: &AlertGroup) -> String {
    serde_json::to_string(&g.labels).unwrap_or_else(|_| "{}".into())
}

fn detail(g: &AlertGroup) -> String {
    serde_json::to_string(&g.detail).unwrap_or_else(|_| "{}".into())
}

/// Inserts a new group; `None` if another batch created it first.
async fn insert(conn: &mut AnyConnection, g: &AlertGroup) -> Result<Option<i64>, StoreError> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO alert_groups (source, group_key, title, severity, firing, firing_count, resolved_count, updates, first_seen, last_change, \
         resolved_at, card, platform, channel, version, labels, carded_at, storm, acked_by, acked_at, silenced_until, silence_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 0, $15, $16, $17, $18, $19, $20, $21, $22) \
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
    .bind(labels(g))
    .bind(g.carded_at)
    .bind(g.storm)
    .bind(g.acked_by.as_deref())
    .bind(g.acked_at)
    .bind(g.silenced_until)
    .bind(g.silence_id.as_deref())
    .bind(detail(g))
    .fetch_optional(conn)
    .await
    .map_err(db_err)?;
    Ok(id)
}

pub(super) async fn update(conn: &mut AnyConnection, g: &AlertGroup) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE alert_groups SET title = $1, severity = $2, firing = $3, firing_count = $4, resolved_count = $5, updates = $6, first_seen = $7, \
         last_change = $8, resolved_at = $9, card = $10, labels = $13, carded_at = $14, storm = $15, acked_by = $16, acked_at = $17, \
         silenced_until = $18, silence_id = $19, detail = $20, version = version + 1 WHERE id = $11 AND version = $12",
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
    .bind(labels(g))
    .bind(g.carded_at)
    .bind(g.storm)
    .bind(g.acked_by.as_deref())
    .bind(g.acked_at)
    .bind(g.silenced_until)
    .bind(g.silence_id.as_deref())
    .bind(detail(g))
    .execute(conn)
    .await
    .map_err(db_err)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(format!(
            "alert group {} changed concurrently",
            g.id
        )));
    }
    Ok(())
}

impl SqlStore {
    async fn groups_where(
        &self,
        filter: &str,
        bind: impl FnOnce(
            sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments>,
        ) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments>,
    ) -> Result<Vec<AlertGroup>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM alert_groups {filter}");
        let rows = bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
            .fetch_all(self.pool())
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|r| split(r).map_err(db_err).and_then(group))
            .collect()
    }
}

#[async_trait]
impl AlertStore for SqlStore {
    async fn alert_group(&self, source: &str, key: &str) -> Result<Option<AlertGroup>, StoreError> {
        Ok(self
            .groups_where("WHERE source = $1 AND group_key = $2", |q| {
                q.bind(source).bind(key)
            })
            .await?
            .pop())
    }

    async fn alert_group_create(&self, g: &AlertGroup) -> Result<Option<i64>, StoreError> {
        let _w = self.write_guard().await;
        let mut conn = self.pool().acquire().await.map_err(db_err)?;
        insert(&mut conn, g).await
    }

    async fn alert_group_by_id(&self, id: i64) -> Result<Option<AlertGroup>, StoreError> {
        Ok(self
            .groups_where("WHERE id = $1", |q| q.bind(id))
            .await?
            .pop())
    }

    async fn alert_group_by_card_ref(
        &self,
        platform: Platform,
        platform_ref: &str,
    ) -> Result<Option<AlertGroup>, StoreError> {
        let filter =
            "WHERE card IN (SELECT id FROM outbox WHERE platform_ref = $1 AND platform = $2)";
        Ok(self
            .groups_where(filter, |q| q.bind(platform_ref).bind(platform.as_str()))
            .await?
            .pop())
    }

    async fn alert_groups(
        &self,
        firing_only: bool,
        limit: i64,
    ) -> Result<Vec<AlertGroup>, StoreError> {
        let filter = if firing_only {
            "WHERE firing = 1 ORDER BY last_change DESC LIMIT $1"
        } else {
            "ORDER BY last_change DESC LIMIT $1"
        };
        self.groups_where(filter, |q| q.bind(limit)).await
    }

    async fn alert_cards_since(
        &self,
        platform: Platform,
        channel: &str,
        since: Millis,
    ) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT COUNT(*) FROM alert_groups WHERE platform = $1 AND channel = $2 AND carded_at >= $3")
            .bind(platform.as_str())
            .bind(channel)
            .bind(since)
            .fetch_one(self.pool())
            .await
            .map_err(db_err)
    }

    async fn alert_storm(
        &self,
        platform: Platform,
        channel: &str,
    ) -> Result<Option<AlertStorm>, StoreError> {
        let row: Option<(i64, i64, i64, String, i64)> =
            sqlx::query_as("SELECT card, started, last_fold, shown, listed FROM alert_storms WHERE platform = $1 AND channel = $2")
                .bind(platform.as_str())
                .bind(channel)
                .fetch_optional(self.pool())
                .await
                .map_err(db_err)?;
        Ok(
            row.map(|(card, started, last_fold, shown, listed)| AlertStorm {
                platform,
                channel: channel.to_string(),
                card,
                started,
                last_fold,
                shown,
                listed,
            }),
        )
    }

    async fn alert_storms_since(&self, since: Millis) -> Result<Vec<AlertStorm>, StoreError> {
        let rows: Vec<(String, String, i64, i64, i64, String, i64)> = sqlx::query_as(
            "SELECT platform, channel, card, started, last_fold, shown, listed FROM alert_storms WHERE last_fold >= $1",
        )
        .bind(since)
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        rows.into_iter()
            .map(
                |(platform, channel, card, started, last_fold, shown, listed)| {
                    Ok(AlertStorm {
                        platform: Platform::parse(&platform).ok_or_else(|| {
                            StoreError::Other(format!(
                                "a storm has an unknown platform {platform:?}"
                            ))
                        })?,
                        channel,
                        card,
                        started,
                        last_fold,
                        shown,
                        listed,
                    })
                },
            )
            .collect()
    }

    async fn alert_storm_groups(&self, storm_card: i64) -> Result<Vec<AlertGroup>, StoreError> {
        self.groups_where(
            "WHERE storm = $1 AND card IS NULL ORDER BY firing DESC, firing_count DESC, id",
            |q| q.bind(storm_card),
        )
        .await
    }

    async fn alert_storm_stats(
        &self,
        storm_card: i64,
        except: i64,
    ) -> Result<StormStats, StoreError> {
        const FOLDED: &str = "storm = $1 AND card IS NULL AND id <> $2";
        let groups: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM alert_groups WHERE {FOLDED}"
        )))
        .bind(storm_card)
        .bind(except)
        .fetch_one(self.pool())
        .await
        .map_err(db_err)?;
        let by_sev: Vec<(String, i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT severity, COUNT(*), CAST(SUM(firing_count) AS BIGINT) FROM alert_groups WHERE {FOLDED} AND firing = 1 GROUP BY severity"
        )))
        .bind(storm_card)
        .bind(except)
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        let top = self
            .groups_where(
                &format!(
                    "WHERE {FOLDED} AND firing = 1 ORDER BY firing_count DESC, id LIMIT {}",
                    StormStats::TOP
                ),
                |q| q.bind(storm_card).bind(except),
            )
            .await?;
        Ok(StormStats {
            groups,
            alerts: by_sev.iter().map(|(_, _, a)| a).sum(),
            firing_by_severity: by_sev.into_iter().map(|(s, n, _)| (s, n)).collect(),
            top,
        })
    }
}
