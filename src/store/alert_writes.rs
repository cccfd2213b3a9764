//! What a commit writes besides its ticket and outbox rows: the approval, the storm and the alert
//! group whose cards are its outbox rows, with the storm and the channel's card budget decided here,
//! inside the transaction, so that concurrent batches and replicas agree.

use super::db_err;
use crate::domain::Millis;
use crate::domain::alert::{AlertGroup, AlertStorm};
use crate::domain::ports::{ApprovalWrite, Commit, StoreError};
use sqlx::AnyConnection;

/// The approval, storm and alert group rows whose cards are this commit's outbox rows `ids`.
pub(super) async fn write_cards(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    c: &Commit,
    ids: &[i64],
) -> Result<(), StoreError> {
    match &c.approval {
        Some(ApprovalWrite::Insert(a)) => {
            let mut a = a.clone();
            a.card = a.card.or(ids.first().copied());
            super::approvals::insert(tx, &a).await?;
        }
        Some(ApprovalWrite::Update(a)) => super::approvals::update(tx, a).await?,
        None => {}
    }
    if let Some(w) = &c.storm {
        let mut st = w.storm.clone();
        if let Some(i) = w.card_index {
            st.card = ids[i];
        }
        put_storm(tx, &st, w.card_index.is_some(), c.now).await?;
    }
    if let Some(w) = &c.alert {
        if let (Some(_), Some(budget)) = (w.card_index, w.card_budget) {
            take_card(tx, &w.group, budget, c.now).await?;
        }
        let mut g = w.group.clone();
        if let Some(i) = w.card_index {
            g.card = Some(ids[i]);
        }
        if let Some(i) = w.storm_index {
            g.storm = Some(ids[i]);
        }
        super::alerts::update(tx, &g).await?;
    }
    Ok(())
}

/// Starts a channel's storm (`new`), or records a fold into it or a fresh look at its counts. A new
/// storm replaces only one that is over, and a fold lands only on the storm it read: so concurrent
/// batches (and replicas) start one storm card per channel, and the losers fold into it on retry.
pub(super) async fn put_storm(
    conn: &mut AnyConnection,
    st: &AlertStorm,
    new: bool,
    now: Millis,
) -> Result<(), StoreError> {
    let q = if new {
        sqlx::query(
            "INSERT INTO alert_storms (platform, channel, card, started, last_fold, shown, listed) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (platform, channel) DO UPDATE SET card = excluded.card, started = excluded.started, \
             last_fold = excluded.last_fold, shown = excluded.shown, listed = excluded.listed WHERE alert_storms.last_fold < $8",
        )
        .bind(st.platform.as_str())
        .bind(&st.channel)
        .bind(st.card)
        .bind(st.started)
        .bind(st.last_fold)
        .bind(&st.shown)
        .bind(st.listed)
        .bind(now - AlertStorm::QUIET)
    } else {
        sqlx::query(
            "UPDATE alert_storms SET last_fold = $1, shown = $2, listed = $3 WHERE platform = $4 AND channel = $5 AND card = $6",
        )
        .bind(st.last_fold)
        .bind(&st.shown)
        .bind(st.listed)
        .bind(st.platform.as_str())
        .bind(&st.channel)
        .bind(st.card)
    };
    if q.execute(conn).await.map_err(db_err)?.rows_affected() == 0 {
        return Err(StoreError::Conflict(format!(
            "the storm card of {} {} changed concurrently",
            st.platform.as_str(),
            st.channel
        )));
    }
    Ok(())
}

/// Takes one of the channel's new cards this minute, or fails with a conflict (the batch is retried
/// and folds into the storm). The upsert holds the channel's row until the commit ends, so the count
/// that follows sees every earlier new card in the channel.
pub(super) async fn take_card(
    conn: &mut AnyConnection,
    g: &AlertGroup,
    per_minute: i64,
    now: Millis,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO alert_channels (platform, channel, cards) VALUES ($1, $2, 1) \
         ON CONFLICT (platform, channel) DO UPDATE SET cards = alert_channels.cards + 1",
    )
    .bind(g.platform.as_str())
    .bind(&g.channel)
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    let used: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM alert_groups WHERE platform = $1 AND channel = $2 AND carded_at >= $3 AND id <> $4",
    )
    .bind(g.platform.as_str())
    .bind(&g.channel)
    .bind(now - 60_000)
    .bind(g.id)
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)?;
    if used >= per_minute {
        return Err(StoreError::Conflict(format!(
            "{} {} has used its {per_minute} new cards this minute",
            g.platform.as_str(),
            g.channel
        )));
    }
    Ok(())
}
