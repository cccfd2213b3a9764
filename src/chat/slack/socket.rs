//! The Socket Mode callbacks. Each one stores the event in the inbox and returns, so slack-morphism acks
//! the envelope at once; processing runs on its own task. An event that cannot be stored is not acked,
//! so Slack delivers it again.

use super::SlackInbound;
use super::{inbound, modal};
use crate::clock;
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
        None => Ok(()),
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
                    Err(e) => Err(e),
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

/// A callback failed (the store is down): log it and leave the envelope unacked for redelivery.
pub fn on_error(
    err: Box<dyn std::error::Error + Send + Sync>,
    _client: Client,
    _states: SlackClientEventsUserState,
) -> HttpStatusCode {
    tracing::error!(error = %err, "Slack event not stored; leaving it unacknowledged so Slack delivers it again");
    HttpStatusCode::SERVICE_UNAVAILABLE
}
