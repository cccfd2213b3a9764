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
    let Ok(want) = hex::decode(signature.trim()) else {
        return false;
    };
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(body);
    mac.verify_slice(&want).is_ok()
}

/// What one resource's body says, before it becomes a batch.
struct Parsed {
    group_key: String,
    title: String,
    severity: Option<String>,
    firing: bool,
    link: Option<String>,
    summary: String,
}

/// Parses a body for `resource`; the error names the missing field or the unknown value.
pub fn parse(resource: &str, body: &[u8]) -> Result<AlertBatch, super::PayloadError> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| format!("not a Sentry webhook body: {e}"))?;
    let action = need(&v, &["action"])?;
    let data = v.get("data").ok_or("missing field `data`")?;
    let mut labels = BTreeMap::new();
    let p = match resource {
        "issue" => issue(data, &action, &mut labels)?,
        "event_alert" => event(data, "event", &action, &mut labels)?,
        "error" => event(data, "error", &action, &mut labels)?,
        "metric_alert" => metric_alert(data, &action)?,
        other => {
            return Err(format!(
                "Sentry-Hook-Resource {other:?} is not one of {}",
                RESOURCES.join(", ")
            )
            .into());
        }
    };
    let severity = p.severity.unwrap_or_else(|| "error".into());
    labels.insert("severity".into(), severity.clone());
    labels.insert("alertname".into(), p.title.clone());
    Ok(AlertBatch {
        source: "sentry".into(),
        alerts: vec![AlertItem {
            fingerprint: p.group_key.clone(),
            firing: p.firing,
            summary: p.summary,
        }],
        group_key: p.group_key,
        title: p.title,
        severity,
        firing: p.firing,
        runbook_url: None,
        link: p.link,
        labels,
        ended_at: None,
    })
}

/// An issue changed state: it fires until resolved, ignored or archived.
fn issue(
    data: &Value,
    action: &str,
    labels: &mut BTreeMap<String, String>,
) -> Result<Parsed, String> {
    let id = need(data, &["issue", "id"])?;
    if let Some(p) = text(data, &["issue", "project", "slug"]) {
        labels.insert("project".into(), p);
    }
    let short = text(data, &["issue", "shortId"]).unwrap_or_else(|| id.clone());
    Ok(Parsed {
        title: need(data, &["issue", "title"])?,
        severity: text(data, &["issue", "level"]),
        firing: !matches!(action, "resolved" | "ignored" | "archived"),
        link: text(data, &["issue", "permalink"]).or_else(|| text(data, &["issue", "web_url"])),
        summary: format!("{short} {action}"),
        group_key: format!("issue:{id}"),
    })
}

/// An issue alert rule fired (`event`) or an error was created (`error`): the issue's group fires.
fn event(
    data: &Value,
    obj: &str,
    action: &str,
    labels: &mut BTreeMap<String, String>,
) -> Result<Parsed, String> {
    let id = need(data, &[obj, "issue_id"])?;
    let title = need(data, &[obj, "title"])?;
    if let Some(env) = text(data, &[obj, "environment"]) {
        labels.insert("environment".into(), env);
    }
    let culprit = text(data, &[obj, "culprit"]).unwrap_or_default();
    Ok(Parsed {
        title: match text(data, &["triggered_rule"]) {
            Some(rule) => format!("{rule}: {title}"),
            None => title,
        },
        severity: text(data, &[obj, "level"]),
        firing: true,
        link: text(data, &[obj, "web_url"]),
        summary: format!("{action}: {culprit}"),
        group_key: format!("issue:{id}"),
    })
}

/// A metric alert is critical, warning or resolved.
fn metric_alert(data: &Value, action: &str) -> Result<Parsed, String> {
    let id = need(data, &["metric_alert", "id"])?;
    let firing = match action {
        "critical" | "warning" => true,
        "resolved" => false,
        other => {
            return Err(format!(
                "metric_alert action must be critical, warning or resolved, not {other:?}"
            ));
        }
    };
    let title = text(data, &["metric_alert", "alert_rule", "name"])
        .or_else(|| text(data, &["description_title"]))
        .ok_or("missing field `metric_alert.alert_rule.name`")?;
    Ok(Parsed {
        group_key: format!("metric_alert:{id}"),
        title,
        severity: firing.then(|| action.to_string()),
        firing,
        link: text(data, &["web_url"]),
        summary: text(data, &["description_text"])
            .unwrap_or_default()
            .replace("\\n", " "),
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
                .to_string()
                .contains("`issue.id`")
        );
        assert!(
            parse("installation", br#"{"action":"created","data":{}}"#)
                .unwrap_err()
                .to_string()
                .contains("\"installation\"")
        );
        assert!(
            parse(
                "metric_alert",
                br#"{"action":"exploded","data":{"metric_alert":{"id":4}}}"#
            )
            .unwrap_err()
            .to_string()
            .contains("exploded")
        );
        assert!(
            parse("issue", b"{")
                .unwrap_err()
                .to_string()
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
