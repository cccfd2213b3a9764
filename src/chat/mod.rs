//! Chat platforms: adapters that turn platform events into domain events and replies into platform
//! messages. Only the console exists in the spine; Slack and Discord plug in beside it.

pub mod console;
pub mod render;
