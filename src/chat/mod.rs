//! Chat platforms: adapters that turn platform events into domain events and replies into platform
//! messages. The console stands in when no platform is configured; Slack (Socket Mode) plugs in beside it.

pub mod console;
pub mod discord;
pub mod render;
pub mod slack;
