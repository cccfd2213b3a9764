//! Links between chat users and Stripe customers, written with their audit entry in one transaction.

use super::audit::insert_audit;
use super::{SqlStore, db_err};
use crate::domain::ports::{AuditEntry, StoreError};
use crate::domain::{Millis, Platform};

impl SqlStore {
    /// Links `platform:user_id` to `account` (`Some`) or removes its link (`None`), with `audit`; whether
    /// anything changed. A link keeps the person's VIP flag.
    pub(super) async fn write_customer_link(
        &self,
        platform: Platform,
        user_id: &str,
        account: Option<&str>,
        audit: &AuditEntry,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let changed = match account {
            Some(a) => sqlx::query(
                "INSERT INTO customers (platform, user_id, account_id, vip, created_at) VALUES ($1, $2, $3, 0, $4) \
                 ON CONFLICT (platform, user_id) DO UPDATE SET account_id = excluded.account_id \
                 WHERE customers.account_id <> excluded.account_id",
            )
            .bind(platform.as_str())
            .bind(user_id)
            .bind(a)
            .bind(now),
            None => sqlx::query("DELETE FROM customers WHERE platform = $1 AND user_id = $2")
                .bind(platform.as_str())
                .bind(user_id),
        }
        .execute(&mut *tx)
        .await
        .map_err(db_err)?
        .rows_affected()
            > 0;
        if changed {
            insert_audit(audit)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(changed)
    }
}
