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
    /// RFC 3339; `0001-01-01T00:00:00Z` while the alert fires.
    #[serde(default)]
    ends_at: Option<String>,
}

/// The latest `endsAt` of the batch's resolved alerts, when they carry real times.
fn ended_at(alerts: &[Alert]) -> Option<crate::domain::Millis> {
    alerts
        .iter()
        .filter(|a| a.status.as_deref() != Some("firing"))
        .filter_map(|a| a.ends_at.as_deref())
        .filter_map(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.timestamp_millis())
        .filter(|ms| *ms > 0)
        .max()
}

/// Parses an Alertmanager webhook body; the error says where the JSON or its shape is wrong.
pub fn parse(body: &[u8]) -> Result<AlertBatch, super::PayloadError> {
    parse_as(body, "alertmanager", "an Alertmanager")
}

/// Parses a Grafana (unified alerting) webhook body.
pub fn parse_grafana(body: &[u8]) -> Result<AlertBatch, super::PayloadError> {
    parse_as(body, "grafana", "a Grafana")
}

fn parse_as(body: &[u8], source: &str, what: &str) -> Result<AlertBatch, super::PayloadError> {
    let p: Payload =
        serde_json::from_slice(body).map_err(|e| format!("not {what} webhook body: {e}"))?;
    let firing = match p.status.as_str() {
        "firing" => true,
        "resolved" => false,
        other => {
            return Err(format!("status must be \"firing\" or \"resolved\", not {other:?}").into());
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
    let keyed: Vec<(&str, &str)> = p
        .group_labels
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    Ok(AlertBatch {
        title: crate::domain::alert::keyed_title(&alertname, &keyed, summary.as_deref()),
        ended_at: if firing { None } else { ended_at(&p.alerts) },
        labels,
        source: source.into(),
        group_key,
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
    fn a_resolved_batch_carries_its_latest_end_time_and_a_keyed_title() {
        let body = br#"{"version":"4","status":"resolved","groupKey":"{}:{alertname=\"Lat\", service=\"checkout\"}",
            "groupLabels":{"alertname":"Lat","service":"checkout"},"commonLabels":{"alertname":"Lat","service":"checkout"},
            "commonAnnotations":{},"alerts":[
              {"status":"resolved","labels":{"instance":"a"},"annotations":{},"startsAt":"2026-11-01T10:00:00Z","endsAt":"2026-11-01T10:01:30Z","fingerprint":"a"},
              {"status":"resolved","labels":{"instance":"b"},"annotations":{},"startsAt":"2026-11-01T10:00:00Z","endsAt":"2026-11-01T10:00:45Z","fingerprint":"b"}]}"#;
        let b = parse(body).unwrap();
        assert_eq!(b.title, "Lat (service=checkout)");
        assert_eq!(b.ended_at, Some(1_793_527_290_000), "2026-11-01T10:01:30Z");
        let firing = String::from_utf8_lossy(body)
            .replace("\"resolved\"", "\"firing\"")
            .replace("2026-11-01T10:01:30Z", "0001-01-01T00:00:00Z");
        assert_eq!(parse(firing.as_bytes()).unwrap().ended_at, None);
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(
            parse(b"{")
                .unwrap_err()
                .to_string()
                .contains("EOF while parsing"),
            "{}",
            parse(b"{").unwrap_err()
        );
        assert!(
            parse(br#"{"status":"firing"}"#)
                .unwrap_err()
                .to_string()
                .contains("missing field `alerts`")
        );
        assert!(
            parse(br#"{"status":"burning","alerts":[]}"#)
                .unwrap_err()
                .to_string()
                .contains("\"burning\"")
        );
        assert!(
            super::parse_grafana(b"[]")
                .unwrap_err()
                .to_string()
                .starts_with("not a Grafana webhook body")
        );
    }
}
