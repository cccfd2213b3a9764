//! Sentry's integration-platform webhooks, told apart by the `Sentry-Hook-Resource` header: `issue`
//! (created, resolved, assigned, ignored, unresolved), `event_alert` (an issue alert rule fired), `error`
//! (created) and `metric_alert` (critical, warning, resolved). Issues, their events and errors share one
//! group per Sentry issue; a metric alert is its own group.

use crate::domain::alert::{AlertBatch, AlertItem};
use serde_json::Value;
use std::collections::BTreeMap;

/// The resources opsdesk turns into alerts (others are acknowledged and ignored).
pub const RESOURCES: [&str; 4] = ["issue", "event_alert", "error", "metric_alert"];

fn text(v: &Value, path: &[&str]) -> Option<String> {
    let mut v = v;
    for p in path {
        v = v.get(p)?;
    }
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn need(v: &Value, path: &[&str]) -> Result<String, String> {
    text(v, path).ok_or_else(|| format!("missing field `{}`", path.join(".")))
}

/// Checks `Sentry-Hook-Signature`: the hex HMAC-SHA256 of the body under the client secret.
pub fn verify(secret: &[u8], body: &[u8], signature: &str) -> bool {
    use hmac::{Hmac, KeyInit, Mac};
    let Some(want) = hex(signature.trim()) else {
        return false;
    };
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(body);
    mac.verify_slice(&want).is_ok()
}

fn hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Parses a body for `resource`; the error names the missing field or the unknown value.
pub fn parse(resource: &str, body: &[u8]) -> Result<AlertBatch, String> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| format!("not a Sentry webhook body: {e}"))?;
    let action = need(&v, &["action"])?;
    let data = v.get("data").ok_or("missing field `data`")?;
    let mut labels = BTreeMap::new();
    let (group_key, title, severity, firing, link, summary) = match resource {
        "issue" => {
            let id = need(data, &["issue", "id"])?;
            let firing = !matches!(action.as_str(), "resolved" | "ignored" | "archived");
            if let Some(p) = text(data, &["issue", "project", "slug"]) {
                labels.insert("project".into(), p);
            }
            let title = need(data, &["issue", "title"])?;
            let short = text(data, &["issue", "shortId"]).unwrap_or_else(|| id.clone());
            let link =
                text(data, &["issue", "permalink"]).or_else(|| text(data, &["issue", "web_url"]));
            (
                format!("issue:{id}"),
                title,
                text(data, &["issue", "level"]),
                firing,
                link,
                format!("{short} {action}"),
            )
        }
        "event_alert" | "error" => {
            let obj = if resource == "error" {
                "error"
            } else {
                "event"
            };
            let id = need(data, &[obj, "issue_id"])?;
            let title = need(data, &[obj, "title"])?;
            let title = match text(data, &["triggered_rule"]) {
                Some(rule) => format!("{rule}: {title}"),
                None => title,
            };
            if let Some(env) = text(data, &[obj, "environment"]) {
                labels.insert("environment".into(), env);
            }
            let link = text(data, &[obj, "web_url"]);
            let culprit = text(data, &[obj, "culprit"]).unwrap_or_default();
            (
                format!("issue:{id}"),
                title,
                text(data, &[obj, "level"]),
                true,
                link,
                format!("{action}: {culprit}"),
            )
        }
        "metric_alert" => {
            let id = need(data, &["metric_alert", "id"])?;
            let firing = match action.as_str() {
                "critical" | "warning" => true,
                "resolved" => false,
                other => {
                    return Err(format!(
                        "metric_alert action must be critical, warning or resolved, not {other:?}"
                    ));
                }
            };
            let title = text(data, &["metric_alert", "alert_rule", "name"])
                .or_else(|| text(data, &["description_title"]));
            let summary = text(data, &["description_text"])
                .unwrap_or_default()
                .replace("\\n", " ");
            let severity = if firing { Some(action.clone()) } else { None };
            (
                format!("metric_alert:{id}"),
                title.ok_or("missing field `metric_alert.alert_rule.name`")?,
                severity,
                firing,
                text(data, &["web_url"]),
                summary,
            )
        }
        other => {
            return Err(format!(
                "Sentry-Hook-Resource {other:?} is not one of {}",
                RESOURCES.join(", ")
            ));
        }
    };
    let severity = severity.unwrap_or_else(|| "error".into());
    labels.insert("severity".into(), severity.clone());
    labels.insert("alertname".into(), title.clone());
    Ok(AlertBatch {
        source: "sentry".into(),
        alerts: vec![AlertItem {
            fingerprint: group_key.clone(),
            firing,
            summary,
        }],
        group_key,
        title,
        severity,
        firing,
        runbook_url: None,
        link,
        labels,
    })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn errors_name_the_field_or_the_resource() {
        assert!(
            parse("issue", br#"{"action":"created","data":{}}"#)
                .unwrap_err()
                .contains("`issue.id`")
        );
        assert!(
            parse("installation", br#"{"action":"created","data":{}}"#)
                .unwrap_err()
                .contains("\"installation\"")
        );
        assert!(
            parse(
                "metric_alert",
                br#"{"action":"exploded","data":{"metric_alert":{"id":4}}}"#
            )
            .unwrap_err()
            .contains("exploded")
        );
        assert!(
            parse("issue", b"{")
                .unwrap_err()
                .starts_with("not a Sentry webhook body")
        );
    }

    #[test]
    fn signatures_are_checked_against_the_body() {
        // HMAC-SHA256("secret", "{}") computed independently (Python hmac).
        let sig = "77325902caca812dc259733aacd046b73817372c777b8d95b402647474516e13";
        assert!(super::verify(b"secret", b"{}", sig));
        assert!(!super::verify(b"other", b"{}", sig));
        assert!(!super::verify(b"secret", b"{ }", sig));
        assert!(!super::verify(b"secret", b"{}", "zz"));
    }
}
