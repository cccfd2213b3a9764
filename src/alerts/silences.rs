//! Alertmanager's silence API (v2): a Silence button creates a silence from the group's labels for a
//! bounded time and records its id; Unsilence expires it. Errors say what Alertmanager answered.

use crate::domain::Millis;
use crate::net::NetError;
use http_body_util::Full;
use std::collections::BTreeMap;
use std::time::Duration;

/// Why Alertmanager did not silence or lift a silence.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SilenceError {
    #[error("the group has no labels to silence by")]
    NoLabels,
    #[error(transparent)]
    Net(#[from] NetError),
    #[error("Alertmanager {what} (HTTP {status}): {body}")]
    Refused {
        what: String,
        status: u16,
        body: String,
    },
    #[error("Alertmanager's answer {0}")]
    BadAnswer(String),
    #[error(
        "silence {0} lives in Alertmanager and alerts.alertmanager_url is empty; \
         lift it in Alertmanager or set the URL again"
    )]
    NoUrl(String),
}

pub struct Alertmanager {
    pub base_url: String,
    pub timeout: Duration,
}

fn rfc3339(ms: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Alertmanager {
    async fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<String>,
    ) -> Result<(u16, String), SilenceError> {
        let url = format!("{}/api/v2{path}", self.base_url.trim_end_matches('/'));
        let req = http::Request::builder()
            .method(method)
            .uri(&url)
            .header("content-type", "application/json")
            .body(Full::new(bytes::Bytes::from(body.unwrap_or_default())))
            .map_err(|e| NetError::BadUrl {
                url: url.clone(),
                reason: e.to_string(),
            })?;
        let what = format!("Alertmanager at {}", self.base_url);
        let (status, text) = crate::net::call_to(&what, req, self.timeout).await?;
        Ok((status.as_u16(), text))
    }

    /// Creates a silence matching `labels` exactly from `now` to `until`; returns its id.
    pub async fn silence(
        &self,
        labels: &BTreeMap<String, String>,
        now: Millis,
        until: Millis,
        by: &str,
        comment: &str,
    ) -> Result<String, SilenceError> {
        if labels.is_empty() {
            return Err(SilenceError::NoLabels);
        }
        let matchers: Vec<_> =
            labels.iter().map(|(k, v)| serde_json::json!({"name": k, "value": v, "isRegex": false, "isEqual": true})).collect();
        let body = serde_json::json!({
            "matchers": matchers, "startsAt": rfc3339(now), "endsAt": rfc3339(until), "createdBy": by, "comment": comment,
        });
        let (status, text) = self
            .call("POST", "/silences", Some(body.to_string()))
            .await?;
        if status != 200 {
            return Err(SilenceError::Refused {
                what: "refused the silence".into(),
                status,
                body: crate::net::tail(&text, 300),
            });
        }
        let v: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| SilenceError::BadAnswer(format!("is not JSON: {e}")))?;
        v.get("silenceID")
            .and_then(|i| i.as_str())
            .map(String::from)
            .ok_or_else(|| SilenceError::BadAnswer("has no silenceID".into()))
    }

    /// Expires a silence; one that is already gone counts as lifted.
    pub async fn expire(&self, id: &str) -> Result<(), SilenceError> {
        let (status, text) = self.call("DELETE", &format!("/silence/{id}"), None).await?;
        match status {
            200 | 404 => Ok(()),
            _ => Err(SilenceError::Refused {
                what: format!("did not lift silence {id}"),
                status,
                body: crate::net::tail(&text, 300),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_are_rfc3339_in_utc() {
        assert_eq!(
            super::rfc3339(1_700_000_000_123),
            "2023-11-14T22:13:20.123Z"
        );
    }
}
