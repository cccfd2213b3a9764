//! What happened while opsdesk was away: at every READY (start-up, or a new session after a gap), each
//! customer channel and each active thread under one that holds something past its stored cursor is
//! read through REST, and every message goes through the inbox like a live one — so nothing is
//! missed and nothing is answered twice. A thread whose last message is not past its cursor is not
//! read at all, so the cost grows with what changed, not with every thread ever opened; reads are
//! paced by Discord's buckets and a 429 is waited out for as long as it asks, then tried again.

use super::DiscordInbound;
use crate::domain::ports::SendError;
use crate::domain::{ChannelRole, Platform};
use serenity::all::{GuildId, Http, Message};
use std::sync::Arc;
use std::time::Duration;

const PAGE: u8 = 100;
/// How many times one read is tried through 429s and passing failures.
const READ_ATTEMPTS: u32 = 6;

/// What one backfill did.
#[derive(Default)]
struct Tally {
    messages: usize,
    read: usize,
    unchanged: usize,
}

impl DiscordInbound {
    pub(super) async fn backfill(self: Arc<Self>, http: Arc<Http>) {
        let customer: Vec<u64> = self
            .pipeline
            .settings
            .channels
            .iter()
            .filter(|c| c.platform == Platform::Discord && c.role == ChannelRole::Customer)
            .filter_map(|c| c.id.parse().ok())
            .collect();
        let mut tally = Tally::default();
        for &ch in &customer {
            self.catch_up(&http, ch, None, &mut tally).await;
        }
        for g in &self.settings.guilds {
            let Ok(gid) = g.parse::<u64>() else { continue };
            match GuildId::new(gid).get_active_threads(&http).await {
                Ok(active) => {
                    for t in active
                        .threads
                        .iter()
                        .filter(|t| t.parent_id.is_some_and(|p| customer.contains(&p.get())))
                    {
                        self.threads.learn(t.id.get(), t.parent_id.map(|p| p.get()));
                        let last = t.last_message_id.map_or(0, |m| m.get());
                        self.catch_up(&http, t.id.get(), Some(last), &mut tally)
                            .await;
                    }
                }
                Err(e) => {
                    tracing::warn!(guild = gid, error = %e, "cannot list active threads for the backfill")
                }
            }
        }
        tracing::info!(
            messages = tally.messages,
            channels_read = tally.read,
            threads_unchanged = tally.unchanged,
            "Discord backfill done"
        );
    }

    /// Reads `channel` after its cursor. `last` is a thread's last message id (0: none yet): a thread
    /// with nothing past its cursor is skipped, one never seen before is read from its start (it was
    /// opened while opsdesk was away). A channel never seen before starts from now (its history is not
    /// answered). The cursor ends on the last message read, opsdesk's own posts included.
    async fn catch_up(
        self: &Arc<Self>,
        http: &Http,
        channel: u64,
        last: Option<u64>,
        t: &mut Tally,
    ) {
        let key = channel.to_string();
        let cursor = match self.pipeline.store.cursor(Platform::Discord, &key).await {
            Ok(c) => c.map(|c| c as u64),
            Err(e) => {
                tracing::warn!(channel, error = %e, "backfill cannot read its cursor");
                return;
            }
        };
        let mut after = match (cursor, last) {
            (Some(c), Some(l)) if l <= c => {
                t.unchanged += 1;
                return;
            }
            (_, Some(0)) => {
                t.unchanged += 1;
                return;
            }
            (Some(c), _) => c,
            (None, Some(_)) => 1,
            (None, None) => {
                t.read += 1;
                if let Ok(latest) = self.read(channel, None, 1).await
                    && let Some(m) = latest.first()
                {
                    self.advance(channel, m.id.get()).await;
                }
                return;
            }
        };
        t.read += 1;
        let (start, mut seen) = (after, 0);
        while seen < self.settings.backfill_limit as usize {
            let mut page = match self.read(channel, Some(after.max(1)), PAGE).await {
                Ok(p) => p,
                Err(e) => {
                    tracing::warn!(channel, error = %e, "backfill cannot read messages");
                    break;
                }
            };
            page.sort_by_key(|m| m.id);
            for m in &page {
                if let Err(e) = self.on_message(http, m).await {
                    tracing::warn!(channel, error = %e, "backfilled message not stored");
                    return;
                }
                after = after.max(m.id.get());
                seen += 1;
                t.messages += usize::from(!m.author.bot);
            }
            if page.len() < PAGE as usize {
                break;
            }
        }
        if after > start {
            self.advance(channel, after).await;
        }
    }

    /// One page of messages, waiting out an empty bucket or a 429 as long as Discord asks.
    async fn read(
        &self,
        channel: u64,
        after: Option<u64>,
        limit: u8,
    ) -> Result<Vec<Message>, SendError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            if let Some(wait) = self.rest.wait(channel) {
                tokio::time::sleep(wait).await;
            }
            match self.rest.messages(channel, after, limit).await {
                Err(SendError::RateLimited { retry_after_ms }) if attempt < READ_ATTEMPTS => {
                    tracing::debug!(
                        channel,
                        retry_after_ms,
                        "backfill read rate limited; waiting"
                    );
                }
                Err(SendError::Transient(e)) if attempt < READ_ATTEMPTS => {
                    tracing::debug!(channel, error = %e, "backfill read failed; trying again");
                    tokio::time::sleep(Duration::from_millis(250 << attempt)).await;
                }
                r => return r,
            }
        }
    }

    async fn advance(&self, channel: u64, to: u64) {
        let key = channel.to_string();
        if let Err(e) = self
            .pipeline
            .store
            .cursor_advance(Platform::Discord, &key, to as i64)
            .await
        {
            tracing::warn!(channel, error = %e, "backfill cannot move its cursor");
        }
    }
}
