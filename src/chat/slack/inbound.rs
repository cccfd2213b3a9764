//! Slack payloads normalised into domain events: messages and mentions, button clicks and `/ops`.
//! What opsdesk must not answer (its own posts, other bots, edits, joins and other subtypes) is dropped here.

use crate::domain::{Event, EventKind, Millis, Platform};
use slack_morphism::prelude::*;

/// Who the bot is in this workspace (from `auth.test`), to recognise its own posts and its mentions.
#[derive(Debug, Clone, Default)]
pub struct BotIdentity {
    pub user_id: String,
    pub bot_id: Option<String>,
}

impl BotIdentity {
    fn mention(&self) -> String {
        format!("<@{}>", self.user_id)
    }
}

/// A message in a channel: `id` is its `ts`, `thread` its `thread_ts` when it is a reply.
fn message(
    me: &BotIdentity,
    channel: &str,
    user: &str,
    text: &str,
    origin: &SlackMessageOrigin,
    mention: bool,
    now: Millis,
) -> Event {
    let tag = me.mention();
    let mentioned = mention || (!me.user_id.is_empty() && text.contains(&tag));
    let text = if me.user_id.is_empty() {
        text.trim().to_string()
    } else {
        text.replace(&tag, " ").trim().to_string()
    };
    let ts = origin.ts.0.clone();
    Event {
        platform: Platform::Slack,
        thread: origin
            .thread_ts
            .as_ref()
            .map(|t| t.0.clone())
            .filter(|t| *t != ts),
        id: ts,
        channel: channel.to_string(),
        user: user.to_string(),
        user_name: None,
        roles: vec![],
        interaction: None,
        at: now,
        kind: EventKind::MessagePosted { text, mentioned },
    }
}

/// An Events API callback as a domain event, or `None` for what opsdesk ignores.
pub fn from_push(cb: &SlackPushEventCallback, me: &BotIdentity, now: Millis) -> Option<Event> {
    match &cb.event {
        SlackEventCallbackBody::Message(m) => {
            // Plain messages, replies broadcast to the channel and messages with files are people talking;
            // every other subtype (edits, deletions, joins, bot messages, topic changes …) is not.
            if !matches!(
                m.subtype,
                None | Some(SlackMessageEventType::ThreadBroadcast)
                    | Some(SlackMessageEventType::FileShare)
            ) {
                return None;
            }
            if m.sender.bot_id.is_some() || m.hidden == Some(true) {
                return None;
            }
            let user = m.sender.user.as_ref()?.0.as_str();
            if user == me.user_id {
                return None;
            }
            let channel = m.origin.channel.as_ref()?.0.as_str();
            let text = m
                .content
                .as_ref()
                .and_then(|c| c.text.as_deref())
                .unwrap_or("");
            Some(message(me, channel, user, text, &m.origin, false, now))
        }
        SlackEventCallbackBody::AppMention(m) => {
            // The same message also arrives as a `message` event; both normalise to the same inbox key.
            if m.user.0 == me.user_id {
                return None;
            }
            let text = m.content.text.as_deref().unwrap_or("");
            Some(message(
                me,
                &m.channel.0,
                &m.user.0,
                text,
                &m.origin,
                true,
                now,
            ))
        }
        _ => None,
    }
}

/// Why `from_push` left a callback out, for the debug log and `opsdesk_slack_events_skipped_total`:
/// a message that is not a person talking (edits, joins, bots, opsdesk's own), or an event type opsdesk
/// does not use. Also the event's type, as Slack names it.
pub fn skip_reason(cb: &SlackPushEventCallback) -> (&'static str, String) {
    let kind = serde_json::to_value(&cb.event)
        .ok()
        .and_then(|v| v["type"].as_str().map(str::to_string))
        .unwrap_or_else(|| "unknown".into());
    let reason = match kind.as_str() {
        "message" | "app_mention" => "not_a_person",
        _ => "event_type",
    };
    (reason, kind)
}

/// Counts (and logs at debug) an event opsdesk leaves out, by why.
pub fn skipped(reason: &'static str, what: &str) {
    tracing::debug!(reason, what, "Slack event skipped");
    metrics::counter!("opsdesk_slack_events_skipped_total", "reason" => reason).increment(1);
}

/// A button click on one of the bot's messages.
pub fn from_block_actions(ba: &SlackInteractionBlockActionsEvent, now: Millis) -> Option<Event> {
    let action = ba.actions.as_ref()?.first()?;
    let SlackInteractionActionContainer::Message(container) = &ba.container else {
        return None;
    };
    let channel = ba
        .channel
        .as_ref()
        .map(|c| c.id.0.clone())
        .or_else(|| container.channel_id.as_ref().map(|c| c.0.clone()))?;
    let user = ba.user.as_ref()?;
    let card = container.message_ts.0.clone();
    // The card's own thread, so replies to the click land beside it.
    let thread = ba
        .message
        .as_ref()
        .and_then(|m| m.origin.thread_ts.as_ref())
        .map(|t| t.0.clone())
        .filter(|t| *t != card);
    let click = action
        .action_ts
        .as_ref()
        .map(|t| t.0.clone())
        .unwrap_or_else(|| ba.trigger_id.0.clone());
    Some(Event {
        platform: Platform::Slack,
        id: format!("{card}/{}/{click}", action.action_id.0),
        channel,
        thread,
        user: user.id.0.clone(),
        user_name: user.username.clone().or_else(|| user.name.clone()),
        roles: vec![],
        interaction: None,
        at: now,
        kind: EventKind::ButtonClicked {
            action: super::blocks::action_name(&action.action_id.0).to_string(),
            value: action.value.clone().unwrap_or_default(),
            message: card,
            input: None,
        },
    })
}

/// A slash command: `/ops tickets` → name `ops`, args `tickets`. Its trigger id is unique per invocation.
pub fn from_command(c: &SlackCommandEvent, now: Millis) -> Event {
    Event {
        platform: Platform::Slack,
        id: c.trigger_id.0.clone(),
        channel: c.channel_id.0.clone(),
        thread: None,
        user: c.user_id.0.clone(),
        user_name: None,
        roles: vec![],
        interaction: None,
        at: now,
        kind: EventKind::CommandInvoked {
            name: c.command.0.trim_start_matches('/').to_string(),
            args: c.text.clone().unwrap_or_default().trim().to_string(),
        },
    }
}
