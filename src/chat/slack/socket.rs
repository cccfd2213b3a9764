//! The Socket Mode callbacks. Each one stores the event in the inbox and returns, so slack-morphism acks
//! the envelope at once; processing runs on its own task. An event that cannot be stored is not acked,
//! so Slack delivers it again.

use super::SlackInbound;
use super::{inbound, modal};
use crate::clock;
use slack_morphism::errors::{SlackClientError, SlackClientProtocolError};
use slack_morphism::listener::HttpStatusCode;
use slack_morphism::prelude::*;
use std::sync::Arc;

type Client = Arc<SlackClient<SlackClientHyperHttpsConnector>>;

async fn state(states: &SlackClientEventsUserState) -> Arc<SlackInbound> {
    states
        .read()
        .await
        .get_user_state::<Arc<SlackInbound>>()
        .cloned()
        .expect("the Slack listener is built with its state")
}

pub async fn on_push(
    ev: SlackPushEventCallback,
    _client: Client,
    states: SlackClientEventsUserState,
) -> UserCallbackResult<()> {
    let me = state(&states).await;
    match inbound::from_push(&ev, &me.me, clock::now()) {
        Some(event) => me.accept(event).await.map_err(Into::into),
        None => {
            let (reason, kind) = inbound::skip_reason(&ev);
            inbound::skipped(reason, &kind);
            Ok(())
        }
    }
}

pub async fn on_interaction(
    ev: SlackInteractionEvent,
    _client: Client,
    states: SlackClientEventsUserState,
) -> UserCallbackResult<()> {
    let me = state(&states).await;
    match &ev {
        SlackInteractionEvent::BlockActions(ba) => {
            if let Some((question, meta)) = modal::asking(ba) {
                // Not a decision yet: ask first. The trigger id expires in 3 s, so open the modal now.
                // A failure is logged and the click acked: its trigger will not work again, so a
                // redelivery cannot help; the person clicks again.
                let opened = match modal::view(&question, &meta) {
                    Ok(view) => me
                        .chat
                        .client
                        .open_session(&me.chat.token)
                        .views_open(&SlackApiViewsOpenRequest::new(ba.trigger_id.clone(), view))
                        .await
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                };
                if let Err(e) = opened {
                    tracing::warn!(error = %e, "cannot open the question modal");
                }
                return Ok(());
            }
            match inbound::from_block_actions(ba, clock::now()) {
                Some(event) => me.accept(event).await.map_err(Into::into),
                None => Ok(()),
            }
        }
        SlackInteractionEvent::ViewSubmission(vs) => {
            match modal::from_view_submission(vs, &me.me, clock::now()) {
                Some(event) => me.accept(event).await.map_err(Into::into),
                None => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

pub async fn on_command(
    ev: SlackCommandEvent,
    _client: Client,
    states: SlackClientEventsUserState,
) -> UserCallbackResult<SlackCommandEventResponse> {
    let me = state(&states).await;
    me.accept(inbound::from_command(&ev, clock::now())).await?;
    // The reply is posted ephemerally through the outbox; the ack itself says nothing.
    Ok(SlackCommandEventResponse::new(SlackMessageContent::new()))
}

/// A frame Slack sent that cannot be parsed, described by its type and size (never its content):
/// `None` for any other error.
pub(super) fn unparsable_frame(err: &(dyn std::error::Error + 'static)) -> Option<String> {
    let protocol = match err.downcast_ref::<SlackClientError>() {
        Some(SlackClientError::ProtocolError(p)) => p,
        _ => err.downcast_ref::<SlackClientProtocolError>()?,
    };
    let body = protocol.json_body.as_deref().unwrap_or("");
    let kind = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["type"].as_str().map(str::to_string))
        .unwrap_or_else(|| "unknown".into());
    Some(format!(
        "type {kind:?}, {} bytes: {}",
        body.len(),
        protocol.json_error
    ))
}

/// A callback failed: a frame that cannot be parsed is logged as such (slack-morphism acknowledges it,
/// since it would never parse better); anything else means the event was not stored, and the envelope
/// is left unacknowledged so that Slack delivers it again.
pub fn on_error(
    err: Box<dyn std::error::Error + Send + Sync>,
    _client: Client,
    _states: SlackClientEventsUserState,
) -> HttpStatusCode {
    if let Some(frame) = unparsable_frame(err.as_ref()) {
        tracing::warn!(frame = %frame, "Slack sent a Socket Mode frame that cannot be parsed; skipped");
        metrics::counter!("opsdesk_slack_frames_unparsable_total").increment(1);
        return HttpStatusCode::OK;
    }
    tracing::error!(error = %err, "Slack event not stored; leaving it unacknowledged so Slack delivers it again");
    HttpStatusCode::SERVICE_UNAVAILABLE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unparsable_frame_is_named_by_type_and_size_not_content() {
        let body = r#"{"type":"events_api","envelope_id":"e1","payload":{"event":{"text":"secret@example.com"}}}"#;
        let json_error = serde_json::from_str::<u8>("x").unwrap_err();
        let err: Box<dyn std::error::Error + Send + Sync> =
            Box::new(SlackClientError::ProtocolError(
                SlackClientProtocolError::new(json_error).with_json_body(body.to_string()),
            ));
        let said = unparsable_frame(err.as_ref()).unwrap();
        assert!(
            said.starts_with(&format!("type \"events_api\", {} bytes: ", body.len())),
            "{said}"
        );
        assert!(!said.contains("secret"), "{said}");
        let other: Box<dyn std::error::Error + Send + Sync> = "database down".into();
        assert_eq!(unparsable_frame(other.as_ref()), None);
    }
}
