//! Inbound events after an adapter has normalised them: nothing past the adapters sees a platform type.

use serde::{Deserialize, Serialize};

/// Where an event came from and where its replies go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Console,
    Slack,
    Discord,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Console => "console",
            Platform::Slack => "slack",
            Platform::Discord => "discord",
        }
    }

    pub fn parse(s: &str) -> Option<Platform> {
        match s {
            "console" => Some(Platform::Console),
            "slack" => Some(Platform::Slack),
            "discord" => Some(Platform::Discord),
            _ => None,
        }
    }
}

/// What a channel is for; configured per platform by channel id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelRole {
    Customer,
    Internal,
    Escalation,
    Alerts,
    Finance,
}

/// One inbound event. `id` is the platform's unique id for it (message id, interaction id, envelope
/// event id) and, with the platform, forms the inbox's deduplication key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub platform: Platform,
    pub id: String,
    pub channel: String,
    /// The thread the event belongs to; `None` for a top-level message (which starts its own thread).
    pub thread: Option<String>,
    pub user: String,
    pub user_name: Option<String>,
    /// Groups or roles of the user that the adapter knows of (Slack user groups, Discord roles), for
    /// permission checks; only those named in the configuration are looked up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// A platform handle for answering this event privately later (Discord's interaction token);
    /// opaque to everything but the adapter that set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interaction: Option<String>,
    pub at: super::Millis,
    pub kind: EventKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// A message posted by a person. `mentioned` is true when it addressed the bot.
    MessagePosted { text: String, mentioned: bool },
    /// A button clicked on a card the bot posted; `message` is the platform's id of that card. `input` is
    /// what the clicker typed when the button asked for it (a reason to deny, in a modal).
    ButtonClicked {
        action: String,
        value: String,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        input: Option<String>,
    },
    /// A slash command, e.g. `/ops tickets --escalated` → name `ops`, args `tickets --escalated`.
    CommandInvoked { name: String, args: String },
}

impl Event {
    /// The inbox key: unique per platform event, so a redelivery is recognised. The channel is part
    /// of it because Slack's message ids (timestamps) are unique only within a channel.
    pub fn inbox_key(&self) -> String {
        format!("{}:{}:{}", self.platform.as_str(), self.channel, self.id)
    }

    /// The key of the conversation this event belongs to: its thread, or itself when top-level.
    pub fn thread_key(&self) -> &str {
        self.thread.as_deref().unwrap_or(&self.id)
    }
}
