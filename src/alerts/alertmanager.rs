//! Prometheus Alertmanager's webhook (`webhook_config`, payload version 4), and Grafana's unified-alerting
//! webhook, which is the same shape with extra fields: one batch per group.

use crate::domain::alert::{AlertBatch, AlertItem};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Payload {
    status: String,
    /// A string since version 4; a number in older payloads.
    #[serde(default)]
    group_key: Option<serde_json::Value>,
    #[serde(default)]
    group_labels: BTreeMap<String, String>,
    #[serde(default)]
    common_labels: BTreeMap<String, String>,
    #[serde(default)]
    common_annotations: BTreeMap<String, String>,
    #[serde(default, rename = "externalURL")]
    external_url: Option<String>,
    alerts: Vec<Alert>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Alert {
    /// Absent in payloads before version 4: the batch's status then applies.
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
    #[serde(default)]
    fingerprint: Option<String>,
}

/// Parses an Alertmanager webhook body; the error says where the JSON or its shape is wrong.
pub fn parse(body: &[u8]) -> Result<AlertBatch, String> {
    parse_as(body, "alertmanager", "an Alertmanager")
}

/// Parses a Grafana (unified alerting) webhook body.
pub fn parse_grafana(body: &[u8]) -> Result<AlertBatch, String> {
    parse_as(body, "grafana", "a Grafana")
}

fn parse_as(body: &[u8], source: &str, what: &str) -> Result<AlertBatch, String> {
    let p: Payload =
        serde_json::from_slice(body).map_err(|e| format!("not {what} webhook body: {e}"))?;
    let firing = match p.status.as_str() {
        "firing" => true,
        "resolved" => false,
        other => {
            return Err(format!(
                "status must be \"firing\" or \"resolved\", not {other:?}"
            ));
        }
    };
    let label = |k: &str| {
        p.common_labels
            .get(k)
            .or_else(|| p.group_labels.get(k))
            .cloned()
    };
    // The group's identity: Alertmanager's group key, or (older senders) its group labels.
    let group_key = match &p.group_key {
        Some(serde_json::Value::String(k)) if !k.is_empty() => k.clone(),
        _ => format!("{:?}", p.group_labels),
    };
    let alertname = label("alertname")
        .or_else(|| {
            p.alerts
                .first()
                .and_then(|a| a.labels.get("alertname").cloned())
        })
        .unwrap_or_else(|| "alert".into());
    let summary = p.common_annotations.get("summary").cloned();
    let alerts = p
        .alerts
        .iter()
        .map(|a| AlertItem {
            fingerprint: a
                .fingerprint
                .clone()
                .unwrap_or_else(|| format!("{:?}", a.labels)),
            firing: a.status.as_deref().map_or(firing, |s| s == "firing"),
            summary: a
                .annotations
                .get("summary")
                .or_else(|| a.annotations.get("description"))
                .cloned()
                .unwrap_or_else(|| format!("{:?}", a.labels)),
        })
        .collect();
    let mut labels = p.group_labels.clone();
    labels.extend(p.common_labels.clone());
    Ok(AlertBatch {
        labels,
        source: source.into(),
        group_key,
        title: match summary {
            Some(s) => format!("{alertname}: {s}"),
            None => alertname,
        },
        severity: label("severity").unwrap_or_else(|| "unknown".into()),
        firing,
        alerts,
        runbook_url: p
            .common_annotations
            .get("runbook_url")
            .cloned()
            .or_else(|| {
                p.alerts
                    .first()
                    .and_then(|a| a.annotations.get("runbook_url").cloned())
            }),
        link: p.external_url,
    })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn errors_name_the_problem() {
        assert!(
            parse(b"{").unwrap_err().contains("EOF while parsing"),
            "{}",
            parse(b"{").unwrap_err()
        );
        assert!(
            parse(br#"{"status":"firing"}"#)
                .unwrap_err()
                .contains("missing field `alerts`")
        );
        assert!(
            parse(br#"{"status":"burning","alerts":[]}"#)
                .unwrap_err()
                .contains("\"burning\"")
        );
        assert!(
            super::parse_grafana(b"[]")
                .unwrap_err()
                .starts_with("not a Grafana webhook body")
        );
    }
}
