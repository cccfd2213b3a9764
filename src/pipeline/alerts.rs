//! Alerts into living cards: a batch creates its group's card, edits it (status, counts, last change)
//! and adds a line to the card's thread; a resolution says for how long it fired; a re-fire after a
//! resolution posts one new card that points back. The raw webhook was stored before it was answered.

use super::Pipeline;
use crate::commands::human_duration;
use crate::domain::alert::{AlertBatch, AlertGroup, Change};
use crate::domain::ports::{AlertWrite, Commit, Outbound, OutboundOp, StoreError, Target};
use crate::domain::{Card, ChannelRole, Citation, Field, Millis, Platform, Reply};

/// Alert history lines go into the thread of the card with this outbox id; the sender resolves it.
pub fn thread_of_card(outbox_id: i64) -> String {
    format!("outbox:{outbox_id}")
}

fn card(g: &AlertGroup, b: &AlertBatch, now: Millis, note: Option<String>) -> Card {
    let title = if g.firing {
        format!("🔥 [{}] {}", g.severity.to_uppercase(), g.title)
    } else {
        format!("✅ Resolved after {}: {}", human_duration(g.duration(now)), g.title)
    };
    let mut lines: Vec<String> = b.alerts.iter().take(5).map(|a| format!("{} {}", if a.firing { "•" } else { "✓" }, a.summary)).collect();
    if b.alerts.len() > 5 {
        lines.push(format!("… and {} more", b.alerts.len() - 5));
    }
    if let Some(n) = note {
        lines.insert(0, n);
    }
    let mut citations = vec![];
    if let Some(r) = &b.runbook_url {
        citations.push(Citation { title: "Runbook".into(), link: r.clone() });
    }
    if let Some(l) = &b.link {
        citations.push(Citation { title: format!("Open in {}", g.source), link: l.clone() });
    }
    Card {
        title,
        body: lines.join("\n"),
        fields: vec![
            Field { name: "Status".into(), value: if g.firing { "firing".into() } else { "resolved".into() } },
            Field { name: "Alerts".into(), value: format!("{} firing, {} resolved", g.firing_count, g.resolved_count) },
            Field { name: "Severity".into(), value: g.severity.clone() },
            Field { name: "Since".into(), value: format!("{} ago", human_duration(now - g.first_seen)) },
        ],
        citations,
        buttons: vec![],
        footer: Some(format!("{} · group {} · update {}", g.source, g.id, g.updates)),
    }
}

impl Pipeline {
    /// Where alert cards go: the first channel with the `alerts` role.
    fn alerts_channel(&self) -> Option<(Platform, String)> {
        self.settings.channels.iter().find(|c| c.role == ChannelRole::Alerts).map(|c| (c.platform, c.id.clone()))
    }

    /// Applies one batch; retried on a concurrent change to the same group.
    pub async fn on_alert_batch(&self, b: &AlertBatch, inbox_key: Option<String>, now: Millis) -> Result<Vec<i64>, StoreError> {
        for _ in 0..5 {
            match self.apply_alert_batch(b, inbox_key.clone(), now).await {
                Err(StoreError::Conflict(_)) => continue,
                Err(StoreError::AlreadyProcessed(_)) => return Ok(vec![]), // another task handled this webhook
                other => return other,
            }
        }
        Err(StoreError::Conflict(format!("alert group {} kept changing", b.group_key)))
    }

    async fn apply_alert_batch(&self, b: &AlertBatch, inbox_key: Option<String>, now: Millis) -> Result<Vec<i64>, StoreError> {
        let (platform, channel) = self.alerts_channel().unwrap_or((Platform::Console, String::new()));
        let post = |card: Card, thread: Option<String>| Outbound {
            thread_title: Some(b.title.clone()),
            platform,
            channel: channel.clone(),
            thread,
            op: OutboundOp::Post,
            reply: Reply::Card(card),
        };
        let mut c = Commit { inbox_key, now, ..Default::default() };
        let (group, insert, card_is_first) = match self.store.alert_group(&b.source, &b.group_key).await? {
            None => {
                let g = AlertGroup::new(b, platform, &channel, now);
                c.outbox.push(post(card(&g, b, now, None), None));
                (g, true, true)
            }
            Some(mut g) => {
                let before = g.duration(now);
                match g.apply(b, now) {
                    Change::Refired => {
                        let note = format!("🔁 Firing again; it was resolved after {} (earlier card above).", human_duration(before));
                        c.outbox.push(post(card(&g, b, now, Some(note)), None));
                        (g, false, true)
                    }
                    change => {
                        if let Some(id) = g.card {
                            let line = match change {
                                Change::Resolved => format!("✅ Resolved after {}", human_duration(g.duration(now))),
                                _ => format!("🔥 {} firing, {} resolved", g.firing_count, g.resolved_count),
                            };
                            let edit = Outbound {
                                thread_title: None,
                                platform: g.platform,
                                channel: g.channel.clone(),
                                thread: None,
                                op: OutboundOp::Update { target: Target::Outbox(id) },
                                reply: Reply::Card(card(&g, b, now, None)),
                            };
                            c.outbox.push(edit);
                            c.outbox.push(Outbound { reply: Reply::text(line), ..post(Card::default(), Some(thread_of_card(id))) });
                        }
                        (g, false, false)
                    }
                }
            }
        };
        if channel.is_empty() {
            c.outbox.clear(); // nowhere to post: the group is still recorded and listed
            tracing::warn!(group = %b.group_key, "an alert arrived but no channel has the alerts role");
        }
        c.alert = Some(AlertWrite { group, insert, card_is_first: card_is_first && !channel.is_empty() });
        self.commit(c).await
    }
}
