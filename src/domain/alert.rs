//! Infra alerts as living cards: one group per source and group key, its counts and status, and what a
//! new batch of alerts changes (a new card, an edit, a resolution, a re-fire). Pure: `now` is given.

use super::{Millis, Platform};
use serde::{Deserialize, Serialize};

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
        };
        g.take(b, now);
        g
    }

    fn take(&mut self, b: &AlertBatch, now: Millis) {
        self.title = b.title.clone();
        self.severity = b.severity.clone();
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
                self.resolved_at = Some(now);
                Change::Resolved
            }
            (false, true) => {
                self.resolved_at = None;
                self.first_seen = now;
                Change::Refired
            }
            _ => Change::Updated,
        }
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
                .map(|(i, f)| AlertItem { fingerprint: i.to_string(), firing: *f, summary: "s".into() })
                .collect(),
            runbook_url: None,
            link: None,
        }
    }

    #[test]
    fn a_group_fires_updates_resolves_and_fires_again() {
        let mut g = AlertGroup::new(&batch(true, &[true, true]), Platform::Slack, "C1", 0);
        assert!((g.firing, g.firing_count) == (true, 2));
        assert_eq!(g.apply(&batch(true, &[true, false]), 10), Change::Updated);
        assert_eq!((g.firing_count, g.resolved_count), (1, 1));
        assert_eq!(g.apply(&batch(false, &[false, false]), 60_000), Change::Resolved);
        assert_eq!((g.firing, g.duration(99_999)), (false, 60_000));
        assert_eq!(g.apply(&batch(true, &[true]), 100_000), Change::Refired);
        assert_eq!((g.firing, g.resolved_at, g.first_seen, g.updates), (true, None, 100_000, 4));
    }
}
