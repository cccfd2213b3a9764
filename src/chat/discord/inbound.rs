//! Discord payloads normalised into domain events. A message's place is its configured channel and, in
//! a thread or forum post, the thread: a top-level message in a text channel starts its own thread (whose
//! id Discord makes equal to the message's), so every conversation is keyed the same way.

use super::ops_command::args_of;
use super::render::parse_custom_id;
use crate::domain::{Event, EventKind, Millis, Platform};
use serenity::all::{
    CommandInteraction, ComponentInteraction, Member, Message, MessageType, RoleId, User, UserId,
};

/// Where an event happened, in the terms of the configuration: the channel with a role, and the thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub channel: String,
    pub thread: Option<String>,
}

fn display_name(u: &User) -> String {
    u.global_name.clone().unwrap_or_else(|| u.name.clone())
}

fn roles(member: Option<&Member>) -> Vec<String> {
    member.map(|m| role_names(&m.roles)).unwrap_or_default()
}

fn role_names(roles: &[RoleId]) -> Vec<String> {
    roles.iter().map(|r| format!("role:{r}")).collect()
}

/// A person's message, or `None` for bots (opsdesk included), system messages and empty ones.
pub fn from_message(m: &Message, place: Place, me: UserId, now: Millis) -> Option<Event> {
    if m.author.bot
        || m.author.id == me
        || !matches!(m.kind, MessageType::Regular | MessageType::InlineReply)
    {
        return None;
    }
    let mentioned = m.mentions.iter().any(|u| u.id == me);
    let text = m
        .content
        .replace(&format!("<@{me}>"), " ")
        .replace(&format!("<@!{me}>"), " ")
        .trim()
        .to_string();
    Some(Event {
        platform: Platform::Discord,
        id: m.id.to_string(),
        channel: place.channel,
        thread: place.thread,
        user: m.author.id.to_string(),
        user_name: Some(
            m.member
                .as_ref()
                .and_then(|pm| pm.nick.clone())
                .unwrap_or_else(|| display_name(&m.author)),
        ),
        // MESSAGE_CREATE in a guild carries the author's member with its roles: a team member allowed
        // by role counts as one in a card's thread just as on a button or `/ops`.
        roles: m
            .member
            .as_ref()
            .map(|pm| role_names(&pm.roles))
            .unwrap_or_default(),
        interaction: None,
        at: now,
        kind: EventKind::MessagePosted { text, mentioned },
    })
}

/// An interaction by `user` at `place`; `handle` (`btn:` or `cmd:` and the token) lets a private
/// answer follow.
pub fn interaction_event(
    id: String,
    place: Place,
    user: &User,
    member: Option<&Member>,
    handle: String,
    now: Millis,
    kind: EventKind,
) -> Event {
    Event {
        platform: Platform::Discord,
        id,
        channel: place.channel,
        thread: place.thread,
        user: user.id.to_string(),
        user_name: Some(
            member
                .and_then(|m| m.nick.clone())
                .unwrap_or_else(|| display_name(user)),
        ),
        roles: roles(member),
        interaction: Some(handle),
        at: now,
        kind,
    }
}

/// A button click.
pub fn from_component(c: &ComponentInteraction, place: Place, now: Millis) -> Event {
    let (action, value) = parse_custom_id(&c.data.custom_id);
    let kind = EventKind::ButtonClicked {
        action,
        value,
        message: c.message.id.to_string(),
        input: None,
    };
    interaction_event(
        c.id.to_string(),
        place,
        &c.user,
        c.member.as_ref(),
        format!("btn:{}", c.token),
        now,
        kind,
    )
}

/// An application command: `/ops tickets escalated:true` → `ops`, `tickets --escalated`.
pub fn from_command(c: &CommandInteraction, place: Place, now: Millis) -> Event {
    let kind = EventKind::CommandInvoked {
        name: c.data.name.clone(),
        args: args_of(&c.data.options),
    };
    interaction_event(
        c.id.to_string(),
        place,
        &c.user,
        c.member.as_deref(),
        format!("cmd:{}", c.token),
        now,
        kind,
    )
}
