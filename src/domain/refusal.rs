//! The user-facing error: what the person who clicked or typed is told when their action changed
//! nothing. It is kept apart from internal errors (a store or network failure), which are logged and
//! never shown to people as they are.

/// Why an action changed nothing, in words for the person who asked for it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

impl Refusal {
    pub fn new(why: impl Into<String>) -> Self {
        Refusal(why.into())
    }
}
