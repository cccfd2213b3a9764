//! The outbox sender: claims due rows, delivers them through the right platform, and records the
//! result. Rate limits and temporary failures are retried later; nothing is dropped silently.

use crate::domain::Platform;
use crate::domain::ports::{ChatPlatform, OutboundOp, SendError, Store, StoreError, Target};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};

/// After this many attempts a temporary failure becomes permanent (about a day of back-off).
const MAX_ATTEMPTS: i64 = 20;
const LEASE_MS: i64 = 60_000;

pub struct Sender {
    pub store: Arc<dyn Store>,
    pub platforms: HashMap<Platform, Arc<dyn ChatPlatform>>,
    pub owner: String,
}

/// Back-off before retry `attempt` (1-based): 1 s, 2 s, 4 s … capped at 5 minutes.
pub fn backoff_ms(attempt: i64) -> i64 {
    1000i64.saturating_mul(1 << attempt.clamp(1, 20).saturating_sub(1)).min(300_000)
}

impl Sender {
    /// Delivers what is due now; returns how many rows were handled.
    pub async fn tick(&self, now: i64) -> Result<usize, StoreError> {
        let items = self.store.outbox_claim(&self.owner, now, LEASE_MS, 32).await?;
        let n = items.len();
        for item in items {
            let Some(platform) = self.platforms.get(&item.msg.platform) else {
                // Not connected in this process: leave it for a replica that is, or for later.
                self.store.outbox_retry(item.id, now + 30_000, &format!("{} is not connected", item.msg.platform.as_str())).await?;
                continue;
            };
            let target = match &item.msg.op {
                OutboundOp::Update { target: Target::Outbox(id) } => match self.store.outbox_ref(*id).await? {
                    Some(r) => Some(r),
                    None => {
                        // The card it edits is not delivered yet: keep the order, try again shortly.
                        self.store.outbox_retry(item.id, now + 500, "waiting for the original message").await?;
                        continue;
                    }
                },
                OutboundOp::Update { target: Target::Message(m) } => Some(m.clone()),
                _ => None,
            };
            match platform.send(&item.msg, target.as_deref()).await {
                Ok(r) => self.store.outbox_sent(item.id, r.as_deref(), now).await?,
                Err(SendError::RateLimited { retry_after_ms }) => {
                    self.store.outbox_retry(item.id, now + retry_after_ms as i64, "rate limited").await?
                }
                Err(SendError::Transient(e)) if item.attempts < MAX_ATTEMPTS => {
                    tracing::warn!(id = item.id, attempt = item.attempts, error = %e, "delivery failed; will retry");
                    self.store.outbox_retry(item.id, now + backoff_ms(item.attempts), &e).await?
                }
                Err(e) => {
                    tracing::error!(id = item.id, error = %e, "delivery failed for good");
                    self.store.outbox_failed(item.id, &e.to_string()).await?
                }
            }
        }
        Ok(n)
    }

    /// Runs until `shutdown` turns true: wakes on `ready` or every `poll`.
    pub async fn run(self, ready: Arc<Notify>, mut shutdown: watch::Receiver<bool>, poll: Duration) {
        loop {
            let busy = match self.tick(crate::clock::now()).await {
                Ok(n) => n > 0,
                Err(e) => {
                    tracing::error!(error = %e, "outbox sender cannot reach the store");
                    false
                }
            };
            if busy {
                continue;
            }
            tokio::select! {
                _ = ready.notified() => {}
                _ = tokio::time::sleep(poll) => {}
                _ = shutdown.changed() => return,
            }
            if *shutdown.borrow() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff_ms(1), 1000);
        assert_eq!(backoff_ms(3), 4000);
        assert_eq!(backoff_ms(50), 300_000);
    }
}
