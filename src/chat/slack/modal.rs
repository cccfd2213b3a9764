//! Buttons that ask a question first (Deny → "why?"): the click opens a modal with `views.open` (its
//! trigger id is valid for 3 s, so this happens in the callback), and the submitted view comes back as
//! the click, with the answer as its input.

use super::inbound::BotIdentity;
use crate::domain::{Event, EventKind, Millis, Platform};
use serde::{Deserialize, Serialize};
use slack_morphism::prelude::*;

pub const CALLBACK_ID: &str = "opsdesk.ask";
/// A button whose action id carries `?question` asks before it counts.
pub const ASK: char = '?';

/// What the modal must remember of the click, in `private_metadata`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AskMeta {
    pub action: String,
    pub value: String,
    pub channel: String,
    pub thread: Option<String>,
    pub message: String,
}

/// The click, if its button asks a question: the question and what to remember.
pub fn asking(ba: &SlackInteractionBlockActionsEvent) -> Option<(String, AskMeta)> {
    let action = ba.actions.as_ref()?.first()?;
    let (name, question) = action.action_id.0.split_once(ASK)?;
    let SlackInteractionActionContainer::Message(container) = &ba.container else {
        return None;
    };
    let channel = ba
        .channel
        .as_ref()
        .map(|c| c.id.0.clone())
        .or_else(|| container.channel_id.as_ref().map(|c| c.0.clone()))?;
    let message = container.message_ts.0.clone();
    let thread = ba
        .message
        .as_ref()
        .and_then(|m| m.origin.thread_ts.as_ref())
        .map(|t| t.0.clone())
        .filter(|t| *t != message);
    let meta = AskMeta {
        action: name.to_string(),
        value: action.value.clone().unwrap_or_default(),
        channel,
        thread,
        message,
    };
    Some((question.to_string(), meta))
}

/// The modal: one multi-line text input labelled with the question.
pub fn view(question: &str, meta: &AskMeta) -> Result<SlackView, crate::chat::RenderError> {
    let invalid = |reason: String| crate::chat::RenderError::Invalid {
        what: "the question modal".into(),
        reason,
    };
    let label: String = question.chars().take(2000).collect();
    let json = serde_json::json!({
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": {"type": "plain_text", "text": "opsdesk"},
        "submit": {"type": "plain_text", "text": "Send"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": serde_json::to_string(meta).map_err(|e| invalid(e.to_string()))?,
        "blocks": [{"type": "input", "block_id": "answer", "label": {"type": "plain_text", "text": label},
            "element": {"type": "plain_text_input", "action_id": "text", "multiline": true, "max_length": 2000}}],
    });
    serde_json::from_value(json).map_err(|e| invalid(e.to_string()))
}

/// A submitted question modal as the click it completes.
pub fn from_view_submission(
    vs: &SlackInteractionViewSubmissionEvent,
    _me: &BotIdentity,
    now: Millis,
) -> Option<Event> {
    let SlackView::Modal(modal) = &vs.view.view else {
        return None;
    };
    if modal.callback_id.as_ref().map(|c| c.0.as_str()) != Some(CALLBACK_ID) {
        return None;
    }
    let meta: AskMeta = serde_json::from_str(modal.private_metadata.as_deref()?).ok()?;
    let answer = vs.view.state_params.state.as_ref().and_then(|s| {
        s.values
            .iter()
            .find(|(b, _)| b.0 == "answer")
            .and_then(|(_, by_action)| {
                by_action
                    .iter()
                    .find(|(a, _)| a.0 == "text")
                    .and_then(|(_, v)| v.value.clone())
            })
    });
    Some(Event {
        platform: Platform::Slack,
        id: format!("view/{}", vs.view.state_params.id.0),
        channel: meta.channel,
        thread: meta.thread,
        user: vs.user.id.0.clone(),
        user_name: vs.user.username.clone().or_else(|| vs.user.name.clone()),
        roles: vec![],
        interaction: None,
        at: now,
        kind: EventKind::ButtonClicked {
            action: meta.action,
            value: meta.value,
            message: meta.message,
            input: answer.map(|a| a.trim().to_string()),
        },
    })
}
