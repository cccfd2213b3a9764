//! Chat platforms: adapters that turn platform events into domain events and replies into platform
//! messages. Slack (Socket Mode) and Discord (gateway) run side by side; the console stands in when neither
//! is configured.

pub mod console;
pub mod discord;
pub mod render;
pub mod slack;
