//! Chat platforms: adapters that turn platform events into domain events and replies into platform
//! messages. Slack (Socket Mode) and Discord (gateway) run side by side; the console stands in when neither
//! is configured.

pub mod console;
pub mod discord;
pub mod render;
pub mod slack;

use crate::domain::ports::SendError;

/// Why a reply cannot be put in a platform's format. It will not fix itself, so its outbox row fails
/// for good instead of being retried.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RenderError {
    #[error("the file's bytes are not base64: {0}")]
    NotBase64(String),
    /// The platform's types refuse what was built; `what` names the card or view.
    #[error("{what} is not valid for the platform: {reason}")]
    Invalid { what: String, reason: String },
    #[error("the file {0} can only be posted, not edited or sent privately")]
    FileNotPostable(String),
}

impl From<RenderError> for SendError {
    fn from(e: RenderError) -> Self {
        SendError::Permanent(e.to_string())
    }
}
