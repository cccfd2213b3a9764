//! Delivery through Discord's REST API: posts go into the ticket's thread (created on the customer's
//! message the first time), cards are edited in place, private replies go through the interaction.

use super::render;
use super::threads::Threads;
use crate::domain::ports::{ChatPlatform, Outbound, OutboundOp, SendError};
use crate::domain::{Platform, Reply};
use async_trait::async_trait;
use serenity::all::{Builder, ChannelId, CreateThread, Http, HttpError, MessageId};
use std::sync::Arc;

/// Discord's JSON error codes that mean "the thread is already there".
const THREAD_EXISTS: &[isize] = &[160004, 50024];

pub struct DiscordChat {
    pub http: Arc<Http>,
    /// Posts and edits, with Discord's rate-limit answers honoured (files go through serenity).
    pub rest: Arc<super::rest::Rest>,
    pub threads: Arc<Threads>,
}

/// Sorts a REST failure into the outbox's retry classes.
pub fn classify(e: serenity::Error) -> SendError {
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
            let status = r.status_code.as_u16();
            let what = format!(
                "Discord answered HTTP {status} (code {}): {}",
                r.error.code, r.error.message
            );
            match status {
                429 => SendError::RateLimited {
                    retry_after_ms: 1000,
                },
                500..=599 | 408 => SendError::Transient(what),
                _ => SendError::Permanent(what),
            }
        }
        serenity::Error::Http(HttpError::Request(e)) => {
            SendError::Transient(format!("Discord unreachable: {e}"))
        }
        other => SendError::Permanent(other.to_string()),
    }
}

fn id(s: &str, what: &str) -> Result<u64, SendError> {
    s.parse()
        .map_err(|_| SendError::Permanent(format!("{what} {s:?} is not a Discord id")))
}

impl DiscordChat {
    /// Makes sure thread `thread` exists under `channel`: a thread on the customer's message in a text
    /// channel is created on first use; forum posts and existing threads are left as they are.
    async fn ensure_thread(&self, channel: u64, thread: u64, title: &str) -> Result<(), SendError> {
        if self.threads.is_thread(thread) {
            return Ok(());
        }
        let name: String = if title.trim().is_empty() {
            "Support request".to_string()
        } else {
            title.chars().take(90).collect()
        };
        match ChannelId::new(channel)
            .create_thread_from_message(&self.http, MessageId::new(thread), CreateThread::new(name))
            .await
        {
            Ok(_) => {}
            Err(serenity::Error::Http(HttpError::UnsuccessfulRequest(r)))
                if THREAD_EXISTS.contains(&r.error.code) => {}
            Err(e) => return Err(classify(e)),
        }
        self.threads.learn(thread, Some(channel));
        Ok(())
    }
}

#[async_trait]
impl ChatPlatform for DiscordChat {
    fn platform(&self) -> Platform {
        Platform::Discord
    }

    async fn send(
        &self,
        msg: &Outbound,
        target: Option<&str>,
    ) -> Result<Option<String>, SendError> {
        let channel = id(&msg.channel, "channel")?;
        let thread = msg.thread.as_deref().map(|t| id(t, "thread")).transpose()?;
        let place = ChannelId::new(thread.unwrap_or(channel));
        match &msg.op {
            OutboundOp::Post => {
                if let Some(t) = thread {
                    self.ensure_thread(channel, t, msg.thread_title.as_deref().unwrap_or(""))
                        .await?;
                }
                let create = render::create_message(&msg.reply)?;
                if matches!(msg.reply, Reply::File { .. }) {
                    let m = place
                        .send_message(&self.http, create)
                        .await
                        .map_err(classify)?;
                    return Ok(Some(m.id.to_string()));
                }
                Ok(Some(self.rest.post(place.get(), &create).await?))
            }
            OutboundOp::Update { .. } => {
                let target = target
                    .ok_or_else(|| SendError::Permanent("no Discord message to update".into()))?;
                let edited = self
                    .rest
                    .edit(
                        place.get(),
                        id(target, "message")?,
                        &render::edit_message(&msg.reply),
                    )
                    .await?;
                Ok(Some(edited))
            }
            OutboundOp::Ephemeral { interaction, .. } => {
                let handle = interaction.as_deref().ok_or_else(|| {
                    SendError::Permanent("Discord answers privately only to an interaction".into())
                })?;
                match handle.split_once(':') {
                    Some(("cmd", token)) => {
                        render::edit_original(&msg.reply)
                            .execute(&self.http, token)
                            .await
                            .map_err(classify)?;
                    }
                    Some(("btn", token)) => {
                        render::followup(&msg.reply)
                            .execute(&self.http, (None, token))
                            .await
                            .map_err(classify)?;
                    }
                    _ => {
                        return Err(SendError::Permanent(format!(
                            "unknown interaction handle {handle:?}"
                        )));
                    }
                }
                Ok(None)
            }
        }
    }
}
