//! The Socket Mode callbacks. Each one stores the event in the inbox and returns, so slack-morphism acks
//! the envelope at once; processing runs on its own task. An event that cannot be stored is not acked,
//! so Slack delivers it again.

use super::SlackInbound;
use super::inbound;
use crate::clock;
use slack_morphism::listener::HttpStatusCode;
use slack_morphism::prelude::*;
use std::sync::Arc;

type Client = Arc<SlackClient<SlackClientHyperHttpsConnector>>;

async fn state(states: &SlackClientEventsUserState) -> Arc<SlackInbound> {
    states.read().await.get_user_state::<Arc<SlackInbound>>().cloned().expect("the Slack listener is built with its state")
}

pub async fn on_push(ev: SlackPushEventCallback, _client: Client, states: SlackClientEventsUserState) -> UserCallbackResult<()> {
    let me = state(&states).await;
    match inbound::from_push(&ev, &me.me, clock::now()) {
        Some(event) => me.accept(event).await.map_err(Into::into),
        None => Ok(()),
    }
}

pub async fn on_interaction(ev: SlackInteractionEvent, _client: Client, states: SlackClientEventsUserState) -> UserCallbackResult<()> {
    let me = state(&states).await;
    match &ev {
        SlackInteractionEvent::BlockActions(ba) => match inbound::from_block_actions(ba, clock::now()) {
            Some(event) => me.accept(event).await.map_err(Into::into),
            None => Ok(()),
        },
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
pub fn on_error(err: Box<dyn std::error::Error + Send + Sync>, _client: Client, _states: SlackClientEventsUserState) -> HttpStatusCode {
    tracing::error!(error = %err, "Slack event not stored; leaving it unacknowledged so Slack delivers it again");
    HttpStatusCode::SERVICE_UNAVAILABLE
}
