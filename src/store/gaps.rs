//! Knowledge gaps: written with the commit that escalates the question, read newest first.

use super::script::{Script, Val};
use super::{SqlStore, db_err};
use crate::domain::gaps::KbGap;
use crate::domain::ports::{GapStore, StoreError};
use async_trait::async_trait;

const INSERT: &str = "INSERT INTO kb_gaps (ticket_id, at, question, reason)";
const INSERT_ONE: &str =
    "INSERT INTO kb_gaps (ticket_id, at, question, reason) VALUES ($1, $2, $3, $4)";

/// The commit's gaps as one statement of SQLite's script.
pub(super) fn gaps_statement(s: &mut Script, gaps: &[KbGap]) {
    if gaps.is_empty() {
        return;
    }
    let rows: Vec<String> = gaps
        .iter()
        .map(|g| {
            s.row(vec![
                Val::from(g.ticket),
                g.at.into(),
                g.question.as_str().into(),
                g.reason.as_str().into(),
            ])
        })
        .collect();
    s.push(&format!("{INSERT} VALUES {};\n", rows.join(", ")));
}

/// The commit's gaps, inside its transaction (the portable path).
pub(super) async fn insert_gaps(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    gaps: &[KbGap],
) -> Result<(), StoreError> {
    for g in gaps {
        sqlx::query(INSERT_ONE)
            .bind(g.ticket)
            .bind(g.at)
            .bind(&g.question)
            .bind(&g.reason)
            .execute(&mut **tx)
            .await
            .map_err(db_err)?;
    }
    Ok(())
}

#[async_trait]
impl GapStore for SqlStore {
    async fn kb_gaps(&self, since: i64, limit: i64) -> Result<Vec<KbGap>, StoreError> {
        let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
            "SELECT ticket_id, at, question, reason FROM kb_gaps WHERE at >= $1 \
             ORDER BY at DESC, id DESC LIMIT $2",
        )
        .bind(since)
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(|(ticket, at, question, reason)| KbGap {
                ticket,
                at,
                question,
                reason,
            })
            .collect())
    }
}
