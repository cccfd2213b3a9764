//! Infra alerts as living cards: one group per source and group key, its counts and status, and what a
//! new batch of alerts changes (a new card, an edit, a resolution, a re-fire). Pure: `now` is given.

use super::{Millis, Platform};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One alert inside a batch, as every source reduces to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertItem {
    pub fingerprint: String,
    pub firing: bool,
    pub summary: String,
}

/// A webhook's alerts for one group, normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertBatch {
    pub source: String,
    pub group_key: String,
    pub title: String,
    pub severity: String,
    pub firing: bool,
    pub alerts: Vec<AlertItem>,
    pub runbook_url: Option<String>,
    pub link: Option<String>,
    /// The labels every alert of the batch shares (routes match them; silences are made of them).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// When the source says the alerts stopped (Alertmanager's `endsAt` of a resolved batch): a
    /// resolution is dated by it rather than by when the webhook arrived.
    #[serde(default)]
    pub ended_at: Option<Millis>,
}

/// A card title a person can act on: the alert's name, the labels its group is keyed by (so 40 groups
/// of one alert read apart), and the summary when there is one.
pub fn keyed_title(name: &str, keyed: &[(&str, &str)], summary: Option<&str>) -> String {
    let keys: Vec<String> = keyed
        .iter()
        .filter(|(k, v)| *k != "alertname" && !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let mut t = name.to_string();
    if !keys.is_empty() {
        t.push_str(&format!(" ({})", keys.join(", ")));
    }
    if let Some(s) = summary.filter(|s| !s.trim().is_empty()) {
        t.push_str(&format!(": {s}"));
    }
    t
}

impl AlertBatch {
    /// Regroups by the values of `keys` (configured per source) instead of the source's own key.
    /// The title names the new keys' values too.
    pub fn regroup(&mut self, keys: &[String]) {
        if keys.is_empty() {
            return;
        }
        let values: Vec<(&str, &str)> = keys
            .iter()
            .map(|k| (k.as_str(), self.labels.get(k).map_or("", String::as_str)))
            .collect();
        let parts: Vec<String> = values.iter().map(|(k, v)| format!("{k}={v}")).collect();
        self.group_key = format!("labels:{}", parts.join(","));
        if let Some(name) = self.labels.get("alertname")
            && let Some(rest) = self.title.strip_prefix(name.as_str())
        {
            // `name`, `name (k=v…)`, `name: summary` or `name (k=v…): summary`, as `keyed_title` wrote it.
            let rest = match rest.strip_prefix(" (") {
                Some(r) => r.split_once(')').map_or("", |(_, after)| after),
                None => rest,
            };
            let summary = rest.strip_prefix(": ");
            self.title = keyed_title(name, &values, summary);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertGroup {
    pub id: i64,
    pub source: String,
    pub group_key: String,
    pub title: String,
    pub severity: String,
    pub firing: bool,
    /// Alerts currently firing and resolved in the latest batch.
    pub firing_count: i64,
    pub resolved_count: i64,
    /// How many batches this group has seen.
    pub updates: i64,
    pub first_seen: Millis,
    pub last_change: Millis,
    pub resolved_at: Option<Millis>,
    /// The outbox row of the group's current card (edited in place; its thread holds the history).
    pub card: Option<i64>,
    pub platform: Platform,
    pub channel: String,
    pub version: i64,
    pub labels: BTreeMap<String, String>,
    /// When its current card was posted (`None` while folded into a storm card or never posted).
    pub carded_at: Option<Millis>,
    /// The storm card (outbox id) it is folded into, when it arrived over the channel's budget.
    pub storm: Option<i64>,
    pub acked_by: Option<String>,
    pub acked_at: Option<Millis>,
    pub silenced_until: Option<Millis>,
    /// Alertmanager's id for the silence opsdesk created, to lift it again.
    pub silence_id: Option<String>,
    /// What its card says besides its state, as the last batch left it.
    pub detail: CardDetail,
}

/// A card's body and links (buttons redraw the state around them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CardDetail {
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub links: Vec<super::Citation>,
}

/// A channel's storm card: groups over the budget fold into it while the storm lasts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertStorm {
    pub platform: Platform,
    pub channel: String,
    /// The storm card's outbox id.
    pub card: i64,
    pub started: Millis,
    pub last_fold: Millis,
    /// The card's counts as last put on it (title and body), to tell when it is stale.
    pub shown: String,
    /// How many held-back groups the list in the card's thread last named.
    pub listed: i64,
}

impl AlertStorm {
    /// A storm is over once nothing folded into it for this long; the next fold starts a new card.
    pub const QUIET: Millis = 10 * 60_000;

    pub fn active(&self, now: Millis) -> bool {
        now - self.last_fold < Self::QUIET
    }
}

/// What a batch did to its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A group never seen: a new card.
    New,
    /// Firing again after it was resolved: a new card that points back at the old one.
    Refired,
    Resolved,
    /// Still firing; counts or details changed.
    Updated,
}

impl AlertGroup {
    pub fn new(b: &AlertBatch, platform: Platform, channel: &str, now: Millis) -> AlertGroup {
        let mut g = AlertGroup {
            id: 0,
            source: b.source.clone(),
            group_key: b.group_key.clone(),
            title: b.title.clone(),
            severity: b.severity.clone(),
            firing: false,
            firing_count: 0,
            resolved_count: 0,
            updates: 0,
            first_seen: now,
            last_change: now,
            resolved_at: None,
            card: None,
            platform,
            channel: channel.to_string(),
            version: 0,
            labels: BTreeMap::new(),
            carded_at: None,
            storm: None,
            acked_by: None,
            acked_at: None,
            silenced_until: None,
            silence_id: None,
            detail: CardDetail::default(),
        };
        g.take(b, now);
        g
    }

    fn take(&mut self, b: &AlertBatch, now: Millis) {
        self.title = b.title.clone();
        self.severity = b.severity.clone();
        self.labels = b.labels.clone();
        self.firing_count = b.alerts.iter().filter(|a| a.firing).count() as i64;
        self.resolved_count = b.alerts.len() as i64 - self.firing_count;
        self.firing = b.firing && (self.firing_count > 0 || b.alerts.is_empty());
        self.updates += 1;
        self.last_change = now;
    }

    /// Applies a later batch for the same group.
    pub fn apply(&mut self, b: &AlertBatch, now: Millis) -> Change {
        let was_firing = self.firing;
        self.take(b, now);
        match (was_firing, self.firing) {
            (true, false) => {
                // The source's own end time when it gives one that makes sense; else arrival.
                let ended = b.ended_at.filter(|e| *e >= self.first_seen && *e <= now);
                self.resolved_at = Some(ended.unwrap_or(now));
                Change::Resolved
            }
            (false, true) => {
                self.resolved_at = None;
                self.first_seen = now;
                // A new episode: the last one's acknowledgement does not carry over.
                self.acked_by = None;
                self.acked_at = None;
                Change::Refired
            }
            _ => Change::Updated,
        }
    }

    /// Resolved by a person (the source may still say firing; its next batch decides again).
    pub fn resolve_by_hand(&mut self, now: Millis) -> bool {
        if !self.firing {
            return false;
        }
        self.firing = false;
        self.resolved_at = Some(now);
        self.last_change = now;
        true
    }

    pub fn silenced(&self, now: Millis) -> bool {
        self.silenced_until.is_some_and(|u| u > now)
    }

    /// The alert name, for runbook lookup: the `alertname` label, else the title.
    pub fn alertname(&self) -> &str {
        self.labels
            .get("alertname")
            .map_or(self.title.as_str(), String::as_str)
    }

    /// How long it has been firing, or fired before it resolved.
    pub fn duration(&self, now: Millis) -> Millis {
        self.resolved_at.unwrap_or(now) - self.first_seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(firing: bool, alerts: &[bool]) -> AlertBatch {
        AlertBatch {
            source: "alertmanager".into(),
            group_key: "{}:{alertname=\"X\"}".into(),
            title: "X".into(),
            severity: "critical".into(),
            firing,
            alerts: alerts
                .iter()
                .enumerate()
                .map(|(i, f)| AlertItem {
                    fingerprint: i.to_string(),
                    firing: *f,
                    summary: "s".into(),
                })
                .collect(),
            runbook_url: None,
            link: None,
            labels: BTreeMap::new(),
            ended_at: None,
        }
    }

    #[test]
    fn a_group_fires_updates_resolves_and_fires_again() {
        let mut g = AlertGroup::new(&batch(true, &[true, true]), Platform::Slack, "C1", 0);
        assert!((g.firing, g.firing_count) == (true, 2));
        assert_eq!(g.apply(&batch(true, &[true, false]), 10), Change::Updated);
        assert_eq!((g.firing_count, g.resolved_count), (1, 1));
        assert_eq!(
            g.apply(&batch(false, &[false, false]), 60_000),
            Change::Resolved
        );
        assert_eq!((g.firing, g.duration(99_999)), (false, 60_000));
        assert_eq!(g.apply(&batch(true, &[true]), 100_000), Change::Refired);
        assert_eq!(
            (g.firing, g.resolved_at, g.first_seen, g.updates),
            (true, None, 100_000, 4)
        );
        assert!(g.resolve_by_hand(100_500) && !g.firing && !g.resolve_by_hand(100_600));
    }

    #[test]
    fn configured_label_keys_regroup_a_batch() {
        let mut b = batch(true, &[true]);
        b.labels.insert("service".into(), "api".into());
        b.regroup(&[]);
        assert!(b.group_key.starts_with("{}"));
        b.regroup(&["service".into(), "team".into()]);
        assert_eq!(b.group_key, "labels:service=api,team=");
    }

    #[test]
    fn titles_name_the_labels_their_group_is_keyed_by() {
        let t = keyed_title(
            "HighRequestLatency",
            &[("alertname", "HighRequestLatency"), ("service", "checkout")],
            Some("p99 over 2s"),
        );
        assert_eq!(t, "HighRequestLatency (service=checkout): p99 over 2s");
        assert_eq!(keyed_title("Down", &[("alertname", "Down")], None), "Down");
        let mut b = batch(true, &[true]);
        b.labels.insert("alertname".into(), "X".into());
        b.labels.insert("service".into(), "api".into());
        b.title = "X: latency high".into();
        b.regroup(&["alertname".into(), "service".into()]);
        assert_eq!(b.title, "X (service=api): latency high");
        b.labels.insert("service".into(), "web".into());
        b.regroup(&["service".into()]);
        assert_eq!(
            b.title, "X (service=web): latency high",
            "keys replaced, not stacked"
        );
    }

    #[test]
    fn a_resolution_is_dated_by_the_source_s_end_time() {
        let mut g = AlertGroup::new(&batch(true, &[true]), Platform::Slack, "C1", 0);
        let mut done = batch(false, &[false]);
        done.ended_at = Some(90_000);
        assert_eq!(g.apply(&done, 300_000), Change::Resolved);
        assert_eq!(
            g.duration(400_000),
            90_000,
            "fired 1m30s, not until delivery"
        );
        let mut g = AlertGroup::new(&batch(true, &[true]), Platform::Slack, "C1", 50_000);
        done.ended_at = Some(10_000); // before it was first seen here: arrival counts
        g.apply(&done, 300_000);
        assert_eq!(g.duration(400_000), 250_000);
    }
}
