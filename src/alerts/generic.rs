//! The generic webhook, for anything that can POST JSON (cron monitors, uptime checkers, scripts):
//!
//! ```json
//! {"title": "Backups failed", "status": "firing", "severity": "critical", "group": "backup-nightly",
//!  "summary": "pg_dump exited 1", "labels": {"service": "db"}, "link": "https://…", "runbook_url": "https://…"}
//! ```
//!
//! Only `title` is required; `status` is `firing` (default) or `resolved`; `group` defaults to the title.
//! `alerts` may carry several `{"id", "status", "summary"}` entries for one group instead of `summary`.

use crate::domain::alert::{AlertBatch, AlertItem};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Payload {
    title: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    link: Option<String>,
    #[serde(default)]
    runbook_url: Option<String>,
    #[serde(default)]
    alerts: Vec<Alert>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Alert {
    id: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    summary: Option<String>,
}

fn firing(status: Option<&str>, what: &str) -> Result<bool, String> {
    match status.unwrap_or("firing") {
        "firing" => Ok(true),
        "resolved" => Ok(false),
        other => Err(format!(
            "{what} must be \"firing\" or \"resolved\", not {other:?}"
        )),
    }
}

pub fn parse(body: &[u8]) -> Result<AlertBatch, super::PayloadError> {
    let p: Payload =
        serde_json::from_slice(body).map_err(|e| format!("not a generic alert body: {e}"))?;
    if p.title.trim().is_empty() {
        return Err("title must not be empty".into());
    }
    let batch_firing = firing(p.status.as_deref(), "status")?;
    let group_key = p
        .group
        .clone()
        .filter(|g| !g.is_empty())
        .unwrap_or_else(|| p.title.clone());
    let alerts = if p.alerts.is_empty() {
        vec![AlertItem {
            fingerprint: group_key.clone(),
            firing: batch_firing,
            summary: p.summary.clone().unwrap_or_else(|| p.title.clone()),
        }]
    } else {
        p.alerts
            .iter()
            .enumerate()
            .map(|(i, a)| {
                Ok(AlertItem {
                    fingerprint: a.id.clone(),
                    firing: match &a.status {
                        Some(s) => firing(Some(s), &format!("alerts[{i}].status"))?,
                        None => batch_firing,
                    },
                    summary: a.summary.clone().unwrap_or_else(|| a.id.clone()),
                })
            })
            .collect::<Result<_, String>>()?
    };
    let severity = p
        .severity
        .or_else(|| p.labels.get("severity").cloned())
        .unwrap_or_else(|| "warning".into());
    let mut labels = p.labels;
    labels
        .entry("alertname".into())
        .or_insert_with(|| p.title.clone());
    labels
        .entry("severity".into())
        .or_insert_with(|| severity.clone());
    Ok(AlertBatch {
        source: "generic".into(),
        group_key,
        title: p.title,
        severity,
        firing: batch_firing,
        alerts,
        runbook_url: p.runbook_url,
        link: p.link,
        labels,
        ended_at: None,
    })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn the_smallest_body_is_a_title_and_errors_name_the_field() {
        let b = parse(br#"{"title":"Backups failed"}"#).unwrap();
        assert!(
            b.firing
                && b.group_key == "Backups failed"
                && b.severity == "warning"
                && b.alerts.len() == 1
        );
        let r = parse(br#"{"title":"Backups failed","status":"resolved","alerts":[{"id":"a","status":"firing"},{"id":"b"}]}"#).unwrap();
        assert_eq!(
            r.alerts.iter().map(|a| a.firing).collect::<Vec<_>>(),
            [true, false]
        );
        assert!(
            parse(br#"{"title":" "}"#)
                .unwrap_err()
                .to_string()
                .contains("title")
        );
        assert!(
            parse(br#"{"status":"firing"}"#)
                .unwrap_err()
                .to_string()
                .contains("missing field `title`")
        );
        assert!(
            parse(br#"{"title":"x","colour":"red"}"#)
                .unwrap_err()
                .to_string()
                .contains("unknown field `colour`")
        );
        assert!(
            parse(br#"{"title":"x","alerts":[{"id":"a","status":"on"}]}"#)
                .unwrap_err()
                .to_string()
                .contains("alerts[0].status")
        );
    }
}
