//! Chat platforms: adapters that turn platform events into domain events and replies into platform
//! messages. The console stands in when no platform is configured; Slack (Socket Mode) plugs in beside it.

pub mod console;
pub mod discord;
pub mod render;
pub mod slack;

use crate::config::Settings;
use crate::domain::Platform;

/// A link to a delivered message, for a card that points back at an earlier one.
pub fn permalink(s: &Settings, platform: Platform, channel: &str, message: &str) -> Option<String> {
    match platform {
        // Slack resolves workspace-less archive links for signed-in members.
        Platform::Slack => Some(format!(
            "https://slack.com/archives/{channel}/p{}",
            message.replace('.', "")
        )),
        Platform::Discord => s
            .discord
            .guilds
            .first()
            .map(|g| format!("https://discord.com/channels/{g}/{channel}/{message}")),
        Platform::Console => None,
    }
}
