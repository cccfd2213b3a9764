//! The finance ledger: records applied in one transaction with the event's inbox mark (a redelivered
//! event changes nothing) and the messages it causes, each object merged with its stored state so
//! arrival order does not matter (on Postgres under a per-object lock, so concurrent merges never
//! lose one another).

use super::{SqlStore, db_err};
use crate::domain::Millis;
use crate::domain::finance::{Ledger, Record};
use crate::domain::ports::{FinanceStore, Outbound, StoreError};
use async_trait::async_trait;

fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Other(e.to_string()))
}

fn read(kind: &str, id: &str, data: &str) -> Result<Record, StoreError> {
    serde_json::from_str(data)
        .map_err(|e| StoreError::Other(format!("ledger {kind} {id} is unreadable: {e}")))
}

#[async_trait]
impl FinanceStore for SqlStore {
    async fn finance_apply(
        &self,
        event: &str,
        records: &[Record],
        outbox: &[Outbound],
        inbox_key: Option<&str>,
        now: Millis,
    ) -> Result<Vec<i64>, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        if let Some(key) = inbox_key {
            let marked = sqlx::query(super::tickets::MARK_INBOX)
                .bind(now)
                .bind(key)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            if marked.rows_affected() == 0 {
                return Err(StoreError::AlreadyProcessed(key.to_string()));
            }
        }
        for (n, r) in records.iter().enumerate() {
            if let Record::Subscription(v) = r {
                sqlx::query(
                    "INSERT INTO fin_sub_versions (event, sub_id, at, data) VALUES ($1, $2, $3, $4) ON CONFLICT (event) DO NOTHING",
                )
                .bind(format!("{event}:{n}"))
                .bind(&v.id)
                .bind(v.at)
                .bind(json(r)?)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
                continue;
            }
            let (kind, id) = r.key();
            if self.backend == super::Backend::Postgres {
                // Two events about one object (a failure and the payment) may be applied at once by
                // two tasks or replicas: each merge must see the other's, so they take turns.
                sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                    .bind(format!("fin:{kind}:{id}"))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
            }
            let stored: Option<String> =
                sqlx::query_scalar("SELECT data FROM fin_objects WHERE kind = $1 AND id = $2")
                    .bind(kind)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db_err)?;
            let merged = match stored {
                Some(d) => Record::merge(read(kind, id, &d)?, r.clone()),
                None => r.clone(),
            };
            sqlx::query(
                "INSERT INTO fin_objects (kind, id, at, data) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (kind, id) DO UPDATE SET at = excluded.at, data = excluded.data",
            )
            .bind(kind)
            .bind(id)
            .bind(now)
            .bind(json(&merged)?)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        let mut ids = vec![];
        for o in outbox {
            ids.push(super::outbox::insert(&mut tx, o, now).await?);
        }
        tx.commit().await.map_err(db_err)?;
        Ok(ids)
    }

    async fn finance_ledger(&self) -> Result<Ledger, StoreError> {
        let mut l = Ledger::default();
        let versions: Vec<(String, String)> =
            sqlx::query_as("SELECT event, data FROM fin_sub_versions ORDER BY at")
                .fetch_all(self.pool())
                .await
                .map_err(db_err)?;
        let objects: Vec<(String, String, String)> =
            sqlx::query_as("SELECT kind, id, data FROM fin_objects ORDER BY kind, id")
                .fetch_all(self.pool())
                .await
                .map_err(db_err)?;
        let all = versions
            .iter()
            .map(|(e, d)| ("subscription", e.as_str(), d.as_str()))
            .chain(
                objects
                    .iter()
                    .map(|(k, i, d)| (k.as_str(), i.as_str(), d.as_str())),
            );
        for (kind, id, data) in all {
            match read(kind, id, data)? {
                Record::Subscription(v) => l.subscriptions.push(v),
                Record::Invoice(i) => l.invoices.push(i),
                Record::Charge(c) => l.charges.push(c),
                Record::Refund(r) => l.refunds.push(r),
                Record::Dispute(d) => l.disputes.push(d),
                Record::Product { id, name, .. } => l.products.push((id, name)),
                Record::Price(p) => l.prices.push(p),
                Record::Coupon(c) => l.coupons.push(c),
                Record::Discount(g) => l.discounts.push(g),
                Record::Late { event_type, at, .. } => l.late.push((event_type, at)),
                Record::Customer {
                    id,
                    email,
                    name,
                    deleted,
                    ..
                } => {
                    if !deleted {
                        if let Some(e) = &email {
                            l.customer_emails.push((id.clone(), e.clone()));
                        }
                        l.customers.push((id, name.or(email).unwrap_or_default()));
                    }
                }
            }
        }
        Ok(l)
    }
}
