//! LLM usage: every agent's calls, tokens and cost, added to their ticket's cost in the same
//! transaction; sums per agent for the monthly budgets and `/ops metrics`.

use super::audit::insert_audit;
use super::{SqlStore, db_err};
use crate::domain::Millis;
use crate::domain::ports::{AuditEntry, LlmUsage, StoreError, UsageStore};
use async_trait::async_trait;

#[async_trait]
impl UsageStore for SqlStore {
    async fn llm_usage(&self, u: &LlmUsage, audit: &AuditEntry) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO llm_usage (at, agent, ticket_id, calls, input_tokens, output_tokens, cost_micros, outcome) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(u.at)
        .bind(&u.agent)
        .bind(u.ticket)
        .bind(u.calls)
        .bind(u.input_tokens)
        .bind(u.output_tokens)
        .bind(u.cost_micros)
        .bind(&u.outcome)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        if let Some(t) = u.ticket {
            sqlx::query("UPDATE tickets SET cost_micros = cost_micros + $1 WHERE id = $2")
                .bind(u.cost_micros)
                .bind(t)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        insert_audit(audit)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }

    async fn llm_spend(&self, agent: &str, since: Millis) -> Result<i64, StoreError> {
        let spent: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(SUM(cost_micros) AS BIGINT) FROM llm_usage WHERE agent = $1 AND at >= $2",
        )
        .bind(agent)
        .bind(since)
        .fetch_one(self.pool())
        .await
        .map_err(db_err)?;
        Ok(spent.unwrap_or(0))
    }

    async fn llm_ticket_tokens(&self, agent: &str, ticket: i64) -> Result<i64, StoreError> {
        let used: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(SUM(input_tokens + output_tokens) AS BIGINT) FROM llm_usage WHERE agent = $1 AND ticket_id = $2",
        )
        .bind(agent)
        .bind(ticket)
        .fetch_one(self.pool())
        .await
        .map_err(db_err)?;
        Ok(used.unwrap_or(0))
    }

    async fn llm_totals(&self, since: Millis) -> Result<Vec<LlmUsage>, StoreError> {
        // Casts keep Postgres from returning NUMERIC, which the Any driver cannot decode.
        let rows: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT agent, CAST(SUM(calls) AS BIGINT), CAST(SUM(input_tokens) AS BIGINT), CAST(SUM(output_tokens) AS BIGINT), \
             CAST(SUM(cost_micros) AS BIGINT) FROM llm_usage WHERE at >= $1 GROUP BY agent ORDER BY agent",
        )
        .bind(since)
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(
                |(agent, calls, input_tokens, output_tokens, cost_micros)| LlmUsage {
                    agent,
                    calls,
                    input_tokens,
                    output_tokens,
                    cost_micros,
                    ..Default::default()
                },
            )
            .collect())
    }
}
