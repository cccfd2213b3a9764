//! Stripe events into the ledger, with what a founder must hear about at once: a failed payment goes to
//! the finance channel (customer, amount, attempt), a dispute goes to the escalation channel for a
//! person — unless the event is older than `finance.announce_within_secs` (a retry or a replay): then
//! it enters the ledger silently and the digest counts it. Applied, announced and marked processed in
//! one transaction.

use super::Pipeline;
use crate::domain::finance::Record;
use crate::domain::ports::{Outbound, OutboundOp, StoreError};
use crate::domain::{Card, ChannelRole, Field, Millis, Reply};
use crate::finance::report::{date, money};
use crate::finance::stripe::Event;

impl Pipeline {
    /// Applies one verified event; `AlreadyProcessed` is not an error (another delivery won).
    pub async fn on_stripe_event(
        &self,
        e: &Event,
        inbox_key: Option<String>,
        now: Millis,
    ) -> Result<Vec<i64>, StoreError> {
        let mut records =
            crate::finance::stripe::records(e).map_err(|e| StoreError::Other(e.to_string()))?;
        let mut outbox = self.finance_notices(e, &records).await?;
        let max_age = self.settings.finance.announce_within_secs * 1000;
        if !outbox.is_empty() && now - e.created > max_age {
            // A retry or a replay of something long past: into the ledger without a card, counted.
            tracing::info!(event = %e.id, kind = %e.kind, age_secs = (now - e.created) / 1000, "a late Stripe event is not announced");
            outbox.clear();
            records.push(Record::Late {
                event: e.id.clone(),
                event_type: e.kind.clone(),
                created: e.created,
                at: now,
            });
        }
        match self
            .store
            .finance_apply(&e.id, &records, &outbox, inbox_key.as_deref(), now)
            .await
        {
            Err(StoreError::AlreadyProcessed(_)) => Ok(vec![]),
            Ok(ids) => {
                if !ids.is_empty() {
                    self.outbox_ready.notify_one();
                }
                Ok(ids)
            }
            Err(e) => Err(e),
        }
    }

    /// A refund Stripe accepted, into the ledger at once: what is left to refund counts it before the
    /// webhook confirms it (the webhook's state merges with it under the same id).
    pub async fn record_refund(
        &self,
        r: crate::domain::finance::Refund,
        now: Millis,
    ) -> Result<(), StoreError> {
        let event = format!("opsdesk-refund-{}", r.id);
        let records = [Record::Refund(r)];
        self.store
            .finance_apply(&event, &records, &[], None, now)
            .await
            .map(|_| ())
    }

    fn channel_for(&self, role: ChannelRole) -> Option<(crate::domain::Platform, String)> {
        self.settings
            .channels
            .iter()
            .find(|c| c.role == role)
            .map(|c| (c.platform, c.id.clone()))
    }

    async fn customer_name(&self, id: &str) -> Result<String, StoreError> {
        let ledger = self.store.finance_ledger().await?;
        Ok(ledger
            .customers
            .into_iter()
            .find(|(c, _)| c == id)
            .map(|(_, n)| format!("{n} ({id})"))
            .unwrap_or_else(|| id.to_string()))
    }

    async fn finance_notices(
        &self,
        e: &Event,
        records: &[Record],
    ) -> Result<Vec<Outbound>, StoreError> {
        let (role, card) = match (e.kind.as_str(), records.first()) {
            ("invoice.payment_failed", Some(Record::Invoice(i))) => {
                let who = self.customer_name(&i.customer).await?;
                let card = Card {
                    title: format!(
                        "💳 Payment failed: {}",
                        money(i.amount_due - i.amount_paid, &i.currency)
                    ),
                    body: format!(
                        "{who}'s payment of invoice {} failed (attempt {}).",
                        i.id,
                        i.attempt_count.max(1)
                    ),
                    fields: vec![
                        Field {
                            name: "Customer".into(),
                            value: who,
                        },
                        Field {
                            name: "Amount due".into(),
                            value: money(i.amount_due, &i.currency),
                        },
                        Field {
                            name: "Attempt".into(),
                            value: i.attempt_count.max(1).to_string(),
                        },
                    ],
                    footer: Some(format!("Stripe event {}", e.id)),
                    ..Default::default()
                };
                (ChannelRole::Finance, card)
            }
            ("charge.dispute.created", Some(Record::Dispute(d))) => {
                let due = e
                    .object
                    .pointer("/evidence_details/due_by")
                    .and_then(|v| v.as_i64())
                    .map(|s| date(s * 1000));
                let card = Card {
                    title: format!("⚠️ Dispute opened: {}", money(d.amount, &d.currency)),
                    body: format!(
                        "A customer disputed charge {} ({}). A person must answer it in Stripe{}.",
                        d.charge.as_deref().unwrap_or("?"),
                        d.reason,
                        due.map(|d| format!(" before {d}")).unwrap_or_default()
                    ),
                    fields: vec![Field {
                        name: "Status".into(),
                        value: d.status.clone(),
                    }],
                    footer: Some(format!("Stripe event {}", e.id)),
                    ..Default::default()
                };
                (ChannelRole::Escalation, card)
            }
            _ => return Ok(vec![]),
        };
        let Some((platform, channel)) = self
            .channel_for(role)
            .or_else(|| self.channel_for(ChannelRole::Internal))
        else {
            tracing::warn!(event = %e.id, kind = %e.kind, "no finance or escalation channel to tell");
            return Ok(vec![]);
        };
        Ok(vec![Outbound {
            thread_title: None,
            platform,
            channel,
            thread: None,
            op: OutboundOp::Post,
            reply: Reply::Card(card),
        }])
    }
}
