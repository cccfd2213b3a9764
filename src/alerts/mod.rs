//! Alert sources: each webhook body parsed into the domain's `AlertBatch`, with errors that name what
//! is wrong so the sender (and whoever configured it) can fix it; and Alertmanager's silence API.

pub mod alertmanager;
pub mod generic;
pub mod sentry;
pub mod silences;

use crate::domain::alert::AlertBatch;

/// Parses a body from `source` (`resource` is Sentry's `Sentry-Hook-Resource`).
pub fn parse(source: &str, resource: Option<&str>, body: &[u8]) -> Result<AlertBatch, String> {
    match source {
        "alertmanager" => alertmanager::parse(body),
        "grafana" => alertmanager::parse_grafana(body),
        "sentry" => sentry::parse(resource.ok_or("missing header Sentry-Hook-Resource")?, body),
        "generic" => generic::parse(body),
        other => Err(format!("no alert source named {other:?}")),
    }
}
