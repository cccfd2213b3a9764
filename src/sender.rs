//! The outbox sender: claims due rows, delivers them through the right platform, and records the
//! result. A per-channel rate limit (governor) paces each platform; a platform's 429 pauses that
//! channel for its Retry-After; temporary failures back off; nothing is dropped silently.

use crate::domain::Platform;
use crate::domain::ports::{
    ChatPlatform, OutboundOp, OutboxItem, SendError, Store, StoreError, Target,
};
use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::collections::{HashMap, HashSet};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::sync::{Notify, watch};

/// After this many attempts a temporary failure becomes permanent (about a day of back-off).
const MAX_ATTEMPTS: i64 = 20;
const LEASE_MS: i64 = 60_000;
const BATCH: i64 = 32;
/// A platform call that takes longer than this is abandoned and retried (it may have hung).
const SEND_TIMEOUT: Duration = Duration::from_secs(30);

type ChannelKey = (Platform, String);

/// The rate limiter's clock is the time the sender is ticked with (epoch ms, relative to the first
/// tick), so pacing follows the outbox's own clock — and a test's simulated one.
#[derive(Debug, Clone, Default)]
struct TickClock {
    base: Arc<OnceLock<i64>>,
    nanos: Arc<AtomicU64>,
}

impl TickClock {
    fn set(&self, now_ms: i64) {
        let base = *self.base.get_or_init(|| now_ms);
        self.nanos
            .fetch_max((now_ms - base).max(0) as u64 * 1_000_000, Ordering::Relaxed);
    }
}

impl Clock for TickClock {
    type Instant = Nanos;

    fn now(&self) -> Nanos {
        self.nanos.load(Ordering::Relaxed).into()
    }
}

type Limiter =
    RateLimiter<ChannelKey, DefaultKeyedStateStore<ChannelKey>, TickClock, NoOpMiddleware<Nanos>>;

pub struct Sender {
    store: Arc<dyn Store>,
    platforms: HashMap<Platform, Arc<dyn ChatPlatform>>,
    owner: String,
    limits: HashMap<Platform, Limiter>,
    clock: TickClock,
    /// Channels a platform told us to leave alone until the given time (epoch ms).
    paused: Mutex<HashMap<ChannelKey, i64>>,
}

/// Back-off before retry `attempt` (1-based): 1 s, 2 s, 4 s … capped at 5 minutes.
pub fn backoff_ms(attempt: i64) -> i64 {
    1000i64
        .saturating_mul(1 << attempt.clamp(1, 20).saturating_sub(1))
        .min(300_000)
}

/// A quota of `per_sec` messages per second with bursts of `burst`.
pub fn quota(per_sec: f64, burst: u32) -> Quota {
    let period = Duration::from_secs_f64(1.0 / per_sec.max(0.001));
    Quota::with_period(period)
        .expect("positive period")
        .allow_burst(NonZeroU32::new(burst.max(1)).expect("positive burst"))
}

/// Updates in one batch that a later update of the same message makes pointless.
fn superseded(items: &[OutboxItem]) -> HashSet<i64> {
    let mut latest: HashMap<(Platform, &str, &Target), i64> = HashMap::new();
    for i in items {
        if let OutboundOp::Update { target } = &i.msg.op {
            latest.insert((i.msg.platform, i.msg.channel.as_str(), target), i.id);
        }
    }
    items
        .iter()
        .filter(|i| match &i.msg.op {
            OutboundOp::Update { target } => {
                latest[&(i.msg.platform, i.msg.channel.as_str(), target)] != i.id
            }
            _ => false,
        })
        .map(|i| i.id)
        .collect()
}

impl Sender {
    pub fn new(
        store: Arc<dyn Store>,
        platforms: HashMap<Platform, Arc<dyn ChatPlatform>>,
        owner: impl Into<String>,
    ) -> Sender {
        Sender {
            store,
            platforms,
            owner: owner.into(),
            limits: HashMap::new(),
            clock: TickClock::default(),
            paused: Mutex::new(HashMap::new()),
        }
    }

    /// Paces deliveries to each channel of `platform`.
    pub fn with_channel_limit(mut self, platform: Platform, q: Quota) -> Sender {
        self.limits.insert(
            platform,
            RateLimiter::new(q, DefaultKeyedStateStore::default(), self.clock.clone()),
        );
        self
    }

    /// How long the channel must wait (ms) before the next delivery, or 0.
    fn wait_ms(&self, key: &ChannelKey, now: i64) -> i64 {
        if let Some(until) = self
            .paused
            .lock()
            .expect("paused map")
            .get(key)
            .copied()
            .filter(|u| *u > now)
        {
            return until - now;
        }
        let Some(limiter) = self.limits.get(&key.0) else {
            return 0;
        };
        self.clock.set(now);
        match limiter.check_key(key) {
            Err(not_until) => {
                (not_until.wait_time_from(limiter.clock().now()).as_millis() as i64).max(1)
            }
            Ok(()) => 0,
        }
    }

    /// Delivers what is due now; returns how many rows were handled.
    pub async fn tick(&self, now: i64) -> Result<usize, StoreError> {
        let items = self
            .store
            .outbox_claim(&self.owner, now, LEASE_MS, BATCH)
            .await?;
        let n = items.len();
        let skip = superseded(&items);
        for item in items {
            let Some(platform) = self.platforms.get(&item.msg.platform) else {
                // Not connected in this process: leave it for a replica that is, or for later.
                let why = format!("{} is not connected", item.msg.platform.as_str());
                self.store.outbox_defer(item.id, now + 30_000, &why).await?;
                continue;
            };
            let Some((item, target)) = self.resolve(item, now).await? else {
                continue;
            };
            if skip.contains(&item.id) {
                tracing::debug!(id = item.id, "card update coalesced into a later one");
                self.store
                    .outbox_sent(item.id, target.as_deref(), now)
                    .await?;
                continue;
            }
            self.deliver(platform.as_ref(), &item, target.as_deref(), now)
                .await?;
        }
        Ok(n)
    }

    /// The platform ids a row refers to by outbox row (the message an edit targets, the thread an
    /// alert card's history goes to); `None` when one is not delivered yet (the row is deferred, so
    /// the order holds).
    async fn resolve(
        &self,
        mut item: OutboxItem,
        now: i64,
    ) -> Result<Option<(OutboxItem, Option<String>)>, StoreError> {
        let target = match &item.msg.op {
            OutboundOp::Update {
                target: Target::Outbox(id),
            } => match self.store.outbox_ref(*id).await? {
                Some(r) => Some(r),
                None => {
                    self.store
                        .outbox_defer(item.id, now + 500, "waiting for the original message")
                        .await?;
                    return Ok(None);
                }
            },
            OutboundOp::Update {
                target: Target::Message(m),
            } => Some(m.clone()),
            _ => None,
        };
        let card = item
            .msg
            .thread
            .as_deref()
            .and_then(|t| t.strip_prefix("outbox:"))
            .and_then(|n| n.parse::<i64>().ok());
        if let Some(card) = card {
            match self.store.outbox_ref(card).await? {
                Some(r) => item.msg.thread = Some(r),
                None => {
                    let why = "waiting for the thread's first message";
                    self.store.outbox_defer(item.id, now + 500, why).await?;
                    return Ok(None);
                }
            }
        }
        Ok(Some((item, target)))
    }

    /// Sends one row within its channel's pace and records the result: delivered, paused by a 429,
    /// retried with backoff, or failed for good.
    async fn deliver(
        &self,
        platform: &dyn ChatPlatform,
        item: &OutboxItem,
        target: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        let key = (item.msg.platform, item.msg.channel.clone());
        let wait = self.wait_ms(&key, now);
        if wait > 0 {
            return self
                .store
                .outbox_defer(item.id, now + wait, "paced: channel rate limit")
                .await;
        }
        tracing::debug!(id = item.id, channel = %key.1, "delivering");
        let started = std::time::Instant::now();
        let sent = tokio::time::timeout(SEND_TIMEOUT, platform.send(&item.msg, target))
            .await
            .unwrap_or_else(|_| {
                Err(SendError::Transient(format!(
                    "no answer within {SEND_TIMEOUT:?}"
                )))
            });
        let took = started.elapsed();
        let platform_name = item.msg.platform.as_str();
        metrics::histogram!("opsdesk_outbox_send_seconds", "platform" => platform_name)
            .record(took.as_secs_f64());
        let result = match &sent {
            Ok(_) => "delivered",
            Err(SendError::RateLimited { .. }) => "rate_limited",
            Err(SendError::Transient(_)) if item.attempts < MAX_ATTEMPTS => "retry",
            Err(_) => "failed",
        };
        metrics::counter!("opsdesk_outbox_sends_total", "platform" => platform_name, "result" => result)
            .increment(1);
        tracing::debug!(
            id = item.id,
            took_ms = took.as_millis() as u64,
            result,
            "platform call done"
        );
        match sent {
            Ok(r) => self.store.outbox_sent(item.id, r.as_deref(), now).await,
            Err(SendError::RateLimited { retry_after_ms }) => {
                let until = now + retry_after_ms as i64;
                tracing::info!(id = item.id, channel = %key.1, retry_after_ms, "rate limited by the platform");
                self.paused.lock().expect("paused map").insert(key, until);
                self.store
                    .outbox_defer(item.id, until, "rate limited")
                    .await
            }
            Err(SendError::Transient(e)) if item.attempts < MAX_ATTEMPTS => {
                tracing::warn!(id = item.id, attempt = item.attempts, error = %e, "delivery failed; will retry");
                self.store
                    .outbox_retry(item.id, now + backoff_ms(item.attempts), &e)
                    .await
            }
            Err(e) => {
                tracing::error!(id = item.id, error = %e, "delivery failed for good");
                self.store.outbox_failed(item.id, &e.to_string()).await
            }
        }
    }

    /// Runs until `shutdown` turns true: wakes on `ready` or every `poll`.
    pub async fn run(
        self,
        ready: Arc<Notify>,
        mut shutdown: watch::Receiver<bool>,
        poll: Duration,
    ) {
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
    use super::*;
    use crate::domain::Reply;
    use crate::domain::ports::Outbound;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff_ms(1), 1000);
        assert_eq!(backoff_ms(3), 4000);
        assert_eq!(backoff_ms(50), 300_000);
    }

    fn item(id: i64, op: OutboundOp) -> OutboxItem {
        OutboxItem {
            id,
            attempts: 1,
            msg: Outbound {
                thread_title: None,
                platform: Platform::Slack,
                channel: "C1".into(),
                thread: None,
                op,
                reply: Reply::text("x"),
            },
        }
    }

    #[test]
    fn only_the_last_update_of_a_card_in_a_batch_is_sent() {
        let upd = |m: &str| OutboundOp::Update {
            target: Target::Message(m.into()),
        };
        let items = vec![
            item(1, OutboundOp::Post),
            item(2, upd("a")),
            item(3, upd("b")),
            item(4, upd("a")),
            item(5, upd("a")),
        ];
        assert_eq!(superseded(&items), HashSet::from([2, 4]));
    }
}
