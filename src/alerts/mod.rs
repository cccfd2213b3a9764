//! Alert sources: each webhook body parsed into the domain's `AlertBatch`, with errors that name what
//! is wrong so the sender (and whoever configured it) can fix it; and Alertmanager's silence API.

pub mod alertmanager;
pub mod generic;
pub mod sentry;
pub mod silences;

use crate::domain::alert::AlertBatch;

/// Why a webhook body is not an alert batch: what the sender is told (HTTP 400) and what a stored
/// body that cannot be re-read is marked with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    #[error("no alert source named {0:?}")]
    UnknownSource(String),
    #[error("missing header Sentry-Hook-Resource")]
    NoSentryResource,
    /// The body, read as the source's format, is wrong: the reason names the field or the value.
    #[error("{0}")]
    Invalid(String),
}

/// Parses a body from `source` (`resource` is Sentry's `Sentry-Hook-Resource`).
pub fn parse(
    source: &str,
    resource: Option<&str>,
    body: &[u8],
) -> Result<AlertBatch, PayloadError> {
    match source {
        "alertmanager" => alertmanager::parse(body),
        "grafana" => alertmanager::parse_grafana(body),
        "sentry" => sentry::parse(resource.ok_or(PayloadError::NoSentryResource)?, body),
        "generic" => generic::parse(body),
        other => Err(PayloadError::UnknownSource(other.into())),
    }
}

impl From<String> for PayloadError {
    fn from(why: String) -> Self {
        PayloadError::Invalid(why)
    }
}

impl From<&str> for PayloadError {
    fn from(why: &str) -> Self {
        PayloadError::Invalid(why.to_string())
    }
}
