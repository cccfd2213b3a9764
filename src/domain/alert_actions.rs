//! What people do to an alert group (acknowledge, silence, lift a silence, resolve, run its runbook),
//! whether by a card's button or by typing in the card's thread; the buttons a card shows; and the
//! storm card that folds groups beyond a channel's budget. Pure.

use super::Refusal;
use super::alert::AlertGroup;
use super::button::AlertButton;
use super::{Button, ButtonStyle, Millis};
use std::collections::BTreeMap;

/// The silence lengths offered as buttons.
pub const SILENCES: [(&str, Millis); 4] = [
    ("30m", 1_800_000),
    ("1h", 3_600_000),
    ("4h", 14_400_000),
    ("24h", 86_400_000),
];

/// The longest silence opsdesk creates: a silence never lasts forever.
pub const MAX_SILENCE: Millis = 7 * 86_400_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertAction {
    Ack,
    Silence(Millis),
    Unsilence,
    Resolve,
    Runbook,
}

impl AlertAction {
    /// The stable name the audit log records (`alert.<name>`) and people type.
    pub fn name(self) -> &'static str {
        match self {
            AlertAction::Ack => "ack",
            AlertAction::Silence(_) => "silence",
            AlertAction::Unsilence => "unsilence",
            AlertAction::Resolve => "resolve",
            AlertAction::Runbook => "runbook",
        }
    }

    /// The button that does this action.
    pub fn button(self) -> AlertButton {
        match self {
            AlertAction::Ack => AlertButton::Ack,
            AlertAction::Silence(_) => AlertButton::Silence,
            AlertAction::Unsilence => AlertButton::Unsilence,
            AlertAction::Resolve => AlertButton::Resolve,
            AlertAction::Runbook => AlertButton::Runbook,
        }
    }

    /// A button and its value (Silence + `12:1h`) → the group id and the action.
    pub fn from_button(button: AlertButton, value: &str) -> Option<(i64, AlertAction)> {
        let (id, arg) = value
            .split_once(':')
            .map_or((value, None), |(i, a)| (i, Some(a)));
        let id = id.parse().ok()?;
        let a = match (button, arg) {
            (AlertButton::Ack, None) => AlertAction::Ack,
            (AlertButton::Silence, Some(d)) => AlertAction::Silence(parse_duration(d)?),
            (AlertButton::Unsilence, None) => AlertAction::Unsilence,
            (AlertButton::Resolve, None) => AlertAction::Resolve,
            (AlertButton::Runbook, None) => AlertAction::Runbook,
            _ => return None,
        };
        Some((id, a))
    }

    /// What a team member typed in a card's thread: `ack`, `silence 2h`, `unsilence`, `resolve`,
    /// `runbook`. `Err` = it looked like a command but was wrong (the message says how); `Ok(None)` =
    /// not a command, a question for the assistant.
    pub fn from_text(text: &str) -> Result<Option<AlertAction>, Refusal> {
        let mut words = text.split_whitespace();
        let first = words
            .next()
            .unwrap_or("")
            .trim_start_matches('/')
            .to_lowercase();
        let rest: Vec<&str> = words.collect();
        let a = match first.as_str() {
            "ack" | "acknowledge" => AlertAction::Ack,
            "unsilence" => AlertAction::Unsilence,
            "resolve" => AlertAction::Resolve,
            "runbook" => AlertAction::Runbook,
            "silence" => match rest.first() {
                None => {
                    return Err(Refusal::new(
                        "say how long: `silence 30m`, `silence 2h`, `silence 1d`",
                    ));
                }
                Some(d) => AlertAction::Silence(parse_duration(d).ok_or_else(|| {
                    Refusal(format!(
                        "{d:?} is not a duration like 30m, 2h or 1d (at most 7d)"
                    ))
                })?),
            },
            _ => return Ok(None),
        };
        // "resolve the thing by hand" is a sentence, not a command.
        if !matches!(a, AlertAction::Silence(_)) && !rest.is_empty() || rest.len() > 1 {
            return Ok(None);
        }
        Ok(Some(a))
    }
}

/// `30m`, `2h`, `1d` → milliseconds, capped at [`MAX_SILENCE`].
pub fn parse_duration(s: &str) -> Option<Millis> {
    let split = s.find(|c: char| !c.is_ascii_digit())?;
    let n: i64 = s[..split].parse().ok()?;
    let unit = match &s[split..] {
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    Some(n * unit).filter(|ms| *ms > 0 && *ms <= MAX_SILENCE)
}

/// The buttons of a group's card for its state; `runbook` when one is configured for its alert name.
pub fn buttons(g: &AlertGroup, runbook: bool, now: Millis) -> Vec<Button> {
    let id = g.id.to_string();
    let mut b = vec![];
    if g.firing && g.acked_by.is_none() {
        b.push(Button {
            style: ButtonStyle::Primary,
            ..Button::new("Acknowledge", AlertButton::Ack, &id)
        });
    }
    if g.silenced(now) {
        b.push(Button::new("Unsilence", AlertButton::Unsilence, &id));
    } else if g.firing {
        b.extend(SILENCES.iter().map(|(l, _)| {
            Button::new(
                &format!("Silence {l}"),
                AlertButton::Silence,
                format!("{id}:{l}"),
            )
        }));
    }
    if g.firing {
        b.push(Button::new("Resolve", AlertButton::Resolve, &id));
    }
    if runbook {
        b.push(Button {
            style: ButtonStyle::Danger,
            ..Button::new("Run runbook", AlertButton::Runbook, &id)
        });
    }
    b
}

/// What a storm card counts: the groups folded into it, firing ones by severity, their firing alerts,
/// and the biggest firing groups.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StormStats {
    pub groups: i64,
    pub firing_by_severity: BTreeMap<String, i64>,
    pub alerts: i64,
    pub top: Vec<AlertGroup>,
}

impl StormStats {
    pub const TOP: usize = 5;

    /// Adds a group (the one a commit is changing, read without it from the store).
    pub fn with(mut self, g: &AlertGroup) -> StormStats {
        self.groups += 1;
        if g.firing {
            *self
                .firing_by_severity
                .entry(g.severity.clone())
                .or_default() += 1;
            self.alerts += g.firing_count;
            self.top.push(g.clone());
            self.top.sort_by_key(|g| (-g.firing_count, g.id));
            self.top.truncate(Self::TOP);
        }
        self
    }

    /// The storm card's title and body.
    pub fn summary(&self) -> (String, String) {
        let firing: i64 = self.firing_by_severity.values().sum();
        let title = format!(
            "🌩️ Alert storm: {} groups held back ({firing} firing, {} alerts)",
            self.groups, self.alerts
        );
        let mut lines = vec![
            self.firing_by_severity
                .iter()
                .map(|(s, n)| format!("{s}: {n}"))
                .collect::<Vec<_>>()
                .join(" · "),
        ];
        lines.extend(self.top.iter().map(|g| {
            format!(
                "• #{} [{}] {} ({} firing)",
                g.id, g.severity, g.title, g.firing_count
            )
        }));
        lines.push(
            "Every group held back is in the list in this card's thread; `/ops alerts` pages through all groups."
                .into(),
        );
        (title, lines.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Platform;
    use crate::domain::alert::{AlertBatch, AlertItem};

    #[test]
    fn each_action_has_a_stable_name_that_parses_back() {
        for a in [
            AlertAction::Ack,
            AlertAction::Silence(60_000),
            AlertAction::Unsilence,
            AlertAction::Resolve,
            AlertAction::Runbook,
        ] {
            let typed = match a {
                AlertAction::Silence(_) => format!("{} 1m", a.name()),
                _ => a.name().to_string(),
            };
            assert_eq!(AlertAction::from_text(&typed), Ok(Some(a)), "{typed}");
        }
    }

    #[test]
    fn typed_commands_and_button_values_parse_the_same_actions() {
        assert_eq!(
            AlertAction::from_text("silence 2h"),
            Ok(Some(AlertAction::Silence(7_200_000)))
        );
        assert_eq!(AlertAction::from_text("ACK"), Ok(Some(AlertAction::Ack)));
        assert_eq!(
            AlertAction::from_text("resolve this by hand please"),
            Ok(None)
        );
        assert_eq!(AlertAction::from_text("why is this firing?"), Ok(None));
        assert!(
            AlertAction::from_text("silence")
                .unwrap_err()
                .0
                .contains("how long")
        );
        assert!(
            AlertAction::from_text("silence 30d")
                .unwrap_err()
                .0
                .contains("at most 7d")
        );
        assert_eq!(
            AlertAction::from_button(AlertButton::Silence, "12:4h"),
            Some((12, AlertAction::Silence(14_400_000)))
        );
        assert_eq!(
            AlertAction::from_button(AlertButton::Ack, "12"),
            Some((12, AlertAction::Ack))
        );
        assert_eq!(AlertAction::from_button(AlertButton::Ack, "x"), None);
    }

    fn group(id: i64, sev: &str, firing: usize) -> AlertGroup {
        let alerts = (0..firing)
            .map(|i| AlertItem {
                fingerprint: i.to_string(),
                firing: true,
                summary: "s".into(),
            })
            .collect();
        let b = AlertBatch {
            source: "generic".into(),
            group_key: id.to_string(),
            title: format!("G{id}"),
            severity: sev.into(),
            firing: true,
            alerts,
            runbook_url: None,
            link: None,
            labels: Default::default(),
            ended_at: None,
        };
        AlertGroup {
            id,
            ..AlertGroup::new(&b, Platform::Slack, "C", 0)
        }
    }

    #[test]
    fn buttons_follow_the_state_and_the_storm_card_counts_by_severity() {
        let mut g = group(3, "critical", 2);
        let labels = |g: &AlertGroup, now| {
            buttons(g, true, now)
                .into_iter()
                .map(|b| b.label)
                .collect::<Vec<_>>()
        };
        assert_eq!(labels(&g, 0).len(), 7);
        g.acked_by = Some("slack:U1".into());
        g.silenced_until = Some(10);
        assert_eq!(labels(&g, 5), ["Unsilence", "Resolve", "Run runbook"]);
        let stats = [group(1, "critical", 1), group(2, "warning", 5), g]
            .iter()
            .fold(StormStats::default(), |s, g| s.with(g));
        let (title, body) = stats.summary();
        assert!(
            title.contains("3 groups held back (3 firing, 8 alerts)"),
            "{title}"
        );
        assert!(
            body.starts_with("critical: 2 · warning: 1\n• #2 [warning] G2 (5 firing)"),
            "{body}"
        );
    }
}
