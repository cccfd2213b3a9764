//! `[alerts]`: who may post alert webhooks, how alerts group, which channel each group's card goes to,
//! the storm budget, runbooks per alert name, and the Alertmanager that silences are created in.

use super::Settings;
use crate::domain::{ChannelRole, Platform};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertSettings {
    pub token_env: String,
    /// Sentry's integration client secret (it signs `Sentry-Hook-Signature`).
    pub sentry_secret_env: String,
    /// New cards per channel per minute; groups beyond it fold into one storm card.
    pub new_cards_per_minute: i64,
    /// Per source, the label keys that make a group (empty or absent: the source's own grouping).
    #[serde(default)]
    pub group_by: HashMap<String, Vec<String>>,
    /// The first route whose labels all match picks the channel; none matching: the `alerts` channel.
    #[serde(default)]
    pub routes: Vec<AlertRoute>,
    /// Alert name → the `[runbooks]` entry its card's Run runbook button asks sign-off for.
    #[serde(default)]
    pub runbooks: HashMap<String, String>,
    /// Alertmanager's base URL for silences (API v2); empty: silences are kept by opsdesk alone.
    pub alertmanager_url: String,
    pub alertmanager_timeout_secs: u64,
    /// A minijinja template for alert card titles (empty: the alert's name, the labels its group is
    /// keyed by, and the summary).
    pub title: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertRoute {
    /// Label → accepted values separated by `|` (`severity = "critical|page"`). `source` matches the source.
    #[serde(rename = "match", default)]
    pub matches: BTreeMap<String, String>,
    pub platform: Platform,
    pub channel: String,
}

impl AlertRoute {
    pub fn accepts(&self, source: &str, labels: &BTreeMap<String, String>) -> bool {
        self.matches.iter().all(|(k, want)| {
            let have = if k == "source" {
                Some(source)
            } else {
                labels.get(k).map(String::as_str)
            };
            have.is_some_and(|h| want.split('|').any(|w| w.trim() == h))
        })
    }
}

impl AlertSettings {
    /// Where a group's card goes: the first matching route, else the first `alerts` channel.
    pub fn route(
        &self,
        s: &Settings,
        source: &str,
        labels: &BTreeMap<String, String>,
    ) -> Option<(Platform, String)> {
        if let Some(r) = self.routes.iter().find(|r| r.accepts(source, labels)) {
            return Some((r.platform, r.channel.clone()));
        }
        s.channels
            .iter()
            .find(|c| c.role == ChannelRole::Alerts)
            .map(|c| (c.platform, c.id.clone()))
    }

    pub(super) fn validate(&self, s: &Settings) -> Result<(), String> {
        if self.new_cards_per_minute <= 0 {
            return Err("alerts.new_cards_per_minute: must be positive".into());
        }
        if let Some((alert, rb)) = self
            .runbooks
            .iter()
            .find(|(_, rb)| !s.runbooks.contains_key(*rb))
        {
            return Err(format!(
                "alerts.runbooks.{alert}: no runbook named {rb:?} under [runbooks]"
            ));
        }
        if let Some((i, _)) = self
            .routes
            .iter()
            .enumerate()
            .find(|(_, r)| r.channel.is_empty())
        {
            return Err(format!("alerts.routes[{i}].channel: must name a channel"));
        }
        if !self.alertmanager_url.is_empty() && !self.alertmanager_url.starts_with("http") {
            return Err(format!(
                "alerts.alertmanager_url: {:?} is not an http(s) URL",
                self.alertmanager_url
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match_labels_and_alternatives() {
        let r = AlertRoute {
            matches: [
                ("severity".to_string(), "critical|page".to_string()),
                ("source".into(), "alertmanager".into()),
            ]
            .into(),
            platform: Platform::Discord,
            channel: "9".into(),
        };
        let labels: BTreeMap<String, String> =
            [("severity".to_string(), "page".to_string())].into();
        assert!(r.accepts("alertmanager", &labels));
        assert!(!r.accepts("grafana", &labels));
        assert!(!r.accepts("alertmanager", &BTreeMap::new()));
        let mut s = Settings::builtin();
        s.alerts.routes.push(r);
        assert_eq!(
            s.alerts.route(&s, "alertmanager", &labels),
            Some((Platform::Discord, "9".into()))
        );
        assert_eq!(s.alerts.route(&s, "sentry", &labels), None);
    }

    #[test]
    fn a_runbook_that_does_not_exist_is_named() {
        let mut s = Settings::builtin();
        s.alerts
            .runbooks
            .insert("HighLatency".into(), "restart-api".into());
        assert!(
            s.alerts
                .validate(&s)
                .unwrap_err()
                .contains("alerts.runbooks.HighLatency")
        );
    }
}
