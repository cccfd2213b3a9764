//! What happened while opsdesk was away: at every READY (start-up, or a new session after a gap), each
//! customer channel and each active thread under one is read through REST from its stored cursor, and
//! every message goes through the inbox like a live one — so nothing is missed and nothing is answered twice.

use super::DiscordInbound;
use crate::domain::{ChannelRole, Platform};
use serenity::all::{ChannelId, GetMessages, GuildId, Http, MessageId};
use std::sync::Arc;

const PAGE: u8 = 100;

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
        let mut total = 0;
        for &ch in &customer {
            total += self.catch_up(&http, ch, false).await;
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
                        total += self.catch_up(&http, t.id.get(), true).await;
                    }
                }
                Err(e) => {
                    tracing::warn!(guild = gid, error = %e, "cannot list active threads for the backfill")
                }
            }
        }
        if total > 0 {
            tracing::info!(
                messages = total,
                "Discord backfill fetched messages missed while away"
            );
        }
    }

    /// Reads `channel` after its cursor. A channel never seen before starts from now (its history is not
    /// answered); a thread never seen before is read from its start (it was opened while opsdesk was away).
    async fn catch_up(self: &Arc<Self>, http: &Http, channel: u64, is_thread: bool) -> usize {
        let cid = ChannelId::new(channel);
        let cursor = match self
            .pipeline
            .store
            .cursor(Platform::Discord, &channel.to_string())
            .await
        {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(channel, error = %e, "backfill cannot read its cursor");
                return 0;
            }
        };
        let mut after = match (cursor, is_thread) {
            (Some(c), _) => c as u64,
            (None, true) => 1,
            (None, false) => {
                if let Ok(latest) = cid.messages(http, GetMessages::new().limit(1)).await
                    && let Some(m) = latest.first()
                {
                    let _ = self
                        .pipeline
                        .store
                        .cursor_advance(Platform::Discord, &channel.to_string(), m.id.get() as i64)
                        .await;
                }
                return 0;
            }
        };
        let mut seen = 0;
        while seen < self.settings.backfill_limit as usize {
            let mut page = match cid
                .messages(
                    http,
                    GetMessages::new()
                        .after(MessageId::new(after.max(1)))
                        .limit(PAGE),
                )
                .await
            {
                Ok(p) => p,
                Err(e) => {
                    tracing::warn!(channel, error = %e, "backfill cannot read messages");
                    break;
                }
            };
            page.sort_by_key(|m| m.id);
            let n = page.len();
            for m in &page {
                if let Err(e) = self.on_message(http, m).await {
                    tracing::warn!(channel, error = %e, "backfilled message not stored");
                    return seen;
                }
                after = after.max(m.id.get());
                seen += 1;
            }
            if n < PAGE as usize {
                break;
            }
        }
        seen
    }
}
