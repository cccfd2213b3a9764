//! Delivery to Slack's Web API: posts in the ticket's thread, `chat.update` for cards that change,
//! `chat.postEphemeral` for command replies; Slack's errors mapped to retry-later or give-up.

use super::blocks;
use crate::domain::ports::{ChatPlatform, Outbound, OutboundOp, SendError};
use crate::domain::{Platform, Reply};
use async_trait::async_trait;
use slack_morphism::errors::SlackClientError;
use slack_morphism::prelude::*;
use std::sync::Arc;

pub type SlackHyperClient = SlackClient<SlackClientHyperHttpsConnector>;

pub struct SlackChat {
    pub client: Arc<SlackHyperClient>,
    pub token: SlackApiToken,
}

/// API error codes that mean "try again later"; every other error code will not fix itself.
const TRANSIENT_CODES: &[&str] = &[
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
    "team_added_to_org",
];

/// Sorts a Web API failure into the outbox's retry classes.
pub fn classify(e: SlackClientError) -> SendError {
    match e {
        SlackClientError::RateLimitError(r) => SendError::RateLimited {
            retry_after_ms: r
                .retry_after
                .map(|d| d.as_millis() as u64)
                .unwrap_or(1000)
                .max(1),
        },
        SlackClientError::ApiError(a) if a.code == "ratelimited" => SendError::RateLimited {
            retry_after_ms: 1000,
        },
        SlackClientError::ApiError(a) if TRANSIENT_CODES.contains(&a.code.as_str()) => {
            SendError::Transient(format!("Slack: {}", a.code))
        }
        SlackClientError::ApiError(a) => {
            SendError::Permanent(format!("Slack refused it: {}", a.code))
        }
        SlackClientError::HttpError(h)
            if h.status_code.is_server_error() || h.status_code.as_u16() == 408 =>
        {
            SendError::Transient(format!("Slack answered HTTP {}", h.status_code))
        }
        SlackClientError::HttpError(h) => {
            SendError::Permanent(format!("Slack answered HTTP {}", h.status_code))
        }
        other => SendError::Transient(other.to_string()),
    }
}

#[async_trait]
impl ChatPlatform for SlackChat {
    fn platform(&self) -> Platform {
        Platform::Slack
    }

    async fn send(
        &self,
        msg: &Outbound,
        target: Option<&str>,
    ) -> Result<Option<String>, SendError> {
        if let (
            Reply::File {
                name,
                title,
                data_b64,
            },
            OutboundOp::Post,
        ) = (&msg.reply, &msg.op)
        {
            return self.upload(msg, name, title, data_b64).await;
        }
        let content = blocks::content(&msg.reply)?;
        let session = self.client.open_session(&self.token);
        let channel = SlackChannelId::new(msg.channel.clone());
        let thread = msg.thread.clone().map(SlackTs::new);
        match &msg.op {
            OutboundOp::Post => {
                let req =
                    SlackApiChatPostMessageRequest::new(channel, content).opt_thread_ts(thread);
                match session.chat_post_message(&req).await {
                    Ok(r) => Ok(Some(r.ts.0)),
                    // Slack answered 200 with a body we could not read: the message exists, so posting
                    // again would duplicate it. Delivered, without an id to edit it later.
                    Err(SlackClientError::ProtocolError(e)) => {
                        tracing::warn!(error = %e, channel = %msg.channel, "Slack accepted a message but its answer was unreadable");
                        Ok(None)
                    }
                    Err(e) => Err(classify(e)),
                }
            }
            OutboundOp::Update { .. } => {
                let ts = target
                    .ok_or_else(|| SendError::Permanent("no Slack message to update".into()))?;
                let req =
                    SlackApiChatUpdateRequest::new(channel, content, SlackTs::new(ts.to_string()));
                session.chat_update(&req).await.map_err(classify)?;
                Ok(Some(ts.to_string()))
            }
            OutboundOp::Ephemeral { user, .. } => {
                let req = SlackApiChatPostEphemeralRequest::new(
                    channel,
                    SlackUserId::new(user.clone()),
                    content,
                )
                .opt_thread_ts(thread);
                session.chat_post_ephemeral(&req).await.map_err(classify)?;
                Ok(None)
            }
        }
    }
}

impl SlackChat {
    /// Slack's upload flow: ask for an upload URL, send the bytes there, then share the file in the
    /// channel (or thread). The file's id is the message's reference.
    async fn upload(
        &self,
        msg: &Outbound,
        name: &str,
        title: &str,
        data_b64: &str,
    ) -> Result<Option<String>, SendError> {
        let bytes = crate::chat::discord::render::file_bytes(data_b64)?;
        let session = self.client.open_session(&self.token);
        let url = session
            .get_upload_url_external(
                &SlackApiFilesGetUploadUrlExternalRequest::new(name.to_string(), bytes.len())
                    .with_alt_txt(title.to_string()),
            )
            .await
            .map_err(classify)?;
        let upload =
            SlackApiFilesUploadViaUrlRequest::new(url.upload_url, bytes, "image/png".into());
        session
            .files_upload_via_url(&upload)
            .await
            .map_err(classify)?;
        let file = SlackApiFilesComplete::new(url.file_id.clone()).with_title(title.to_string());
        let done = SlackApiFilesCompleteUploadExternalRequest::new(vec![file])
            .with_channel_id(SlackChannelId::new(msg.channel.clone()))
            .opt_thread_ts(msg.thread.clone().map(SlackTs::new));
        session
            .files_complete_upload_external(&done)
            .await
            .map_err(classify)?;
        Ok(Some(url.file_id.0))
    }

    /// Adds or removes a reaction on a message. Cosmetic: failures are logged, never retried.
    pub async fn react(&self, channel: &str, ts: &str, emoji: &str, add: bool) {
        let session = self.client.open_session(&self.token);
        let (channel, ts, name) = (
            SlackChannelId::new(channel.to_string()),
            SlackTs::new(ts.to_string()),
            SlackReactionName::new(emoji.to_string()),
        );
        let r = if add {
            session
                .reactions_add(&SlackApiReactionsAddRequest::new(channel, name, ts))
                .await
                .map(|_| ())
        } else {
            session
                .reactions_remove(
                    &SlackApiReactionsRemoveRequest::new(name)
                        .with_channel(channel)
                        .with_timestamp(ts),
                )
                .await
                .map(|_| ())
        };
        if let Err(e) = r {
            tracing::debug!(error = %e, add, "reaction not changed");
        }
    }
}
