//! How an alert group looks in chat: its card (status, counts, who acknowledged, the silence, the
//! buttons for its state), the body a batch gives it (its alerts, related groups, the runbook link),
//! and the storm card that folds groups over a channel's budget.

use crate::domain::alert::{AlertBatch, AlertGroup, CardDetail};
use crate::domain::alert_actions::{StormStats, buttons};
use crate::domain::human_duration;
use crate::domain::ports::{Outbound, OutboundOp, Target};
use crate::domain::{Card, Citation, Field, Millis, Platform, Reply};

/// Alert history lines go into the thread of the card with this outbox id; the sender resolves it.
pub fn thread_of_card(outbox_id: i64) -> String {
    format!("outbox:{outbox_id}")
}

pub(super) fn clock(ms: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M UTC").to_string())
}

/// What a batch gives the card besides its state: a note, its first alerts, related groups, links.
pub(super) fn detail(
    g: &AlertGroup,
    b: &AlertBatch,
    note: Option<String>,
    related: &[AlertGroup],
) -> CardDetail {
    CardDetail {
        body: batch_body(b, note, related),
        links: batch_links(g, b),
    }
}

fn batch_body(b: &AlertBatch, note: Option<String>, related: &[AlertGroup]) -> String {
    let mut lines: Vec<String> = note.into_iter().collect();
    lines.extend(
        b.alerts
            .iter()
            .take(5)
            .map(|a| format!("{} {}", if a.firing { "•" } else { "✓" }, a.summary)),
    );
    if b.alerts.len() > 5 {
        lines.push(format!("… and {} more", b.alerts.len() - 5));
    }
    if !related.is_empty() {
        let r: Vec<String> = related
            .iter()
            .take(3)
            .map(|g| format!("#{} {}", g.id, g.title))
            .collect();
        lines.push(format!("Related, firing now: {}", r.join(" · ")));
    }
    lines.join("\n")
}

fn batch_links(g: &AlertGroup, b: &AlertBatch) -> Vec<Citation> {
    let mut links = vec![];
    if let Some(r) = &b.runbook_url {
        links.push(Citation {
            title: "Runbook".into(),
            link: r.clone(),
            ..Default::default()
        });
    }
    if let Some(l) = &b.link {
        links.push(Citation {
            title: format!("Open in {}", g.source),
            link: l.clone(),
            ..Default::default()
        });
    }
    links
}

/// The card for the group's current state, around its body and links.
pub(super) fn card(g: &AlertGroup, runbook: bool, now: Millis) -> Reply {
    let title = if g.firing {
        format!(
            "{} [{}] {}",
            if g.acked_by.is_some() { "👀" } else { "🔥" },
            g.severity.to_uppercase(),
            g.title
        )
    } else {
        format!(
            "✅ Resolved after {}: {}",
            human_duration(g.duration(now)),
            g.title
        )
    };
    let mut fields = vec![
        Field {
            name: "Status".into(),
            value: if g.firing {
                "firing".into()
            } else {
                "resolved".into()
            },
        },
        Field {
            name: "Alerts".into(),
            value: format!("{} firing, {} resolved", g.firing_count, g.resolved_count),
        },
        Field {
            name: "Severity".into(),
            value: g.severity.clone(),
        },
        Field {
            name: "Since".into(),
            value: format!("{} ago", human_duration(now - g.first_seen)),
        },
    ];
    if let (Some(by), Some(at)) = (&g.acked_by, g.acked_at) {
        fields.push(Field {
            name: "Acknowledged".into(),
            value: format!("by {by} at {}", clock(at)),
        });
    }
    if let Some(until) = g.silenced_until.filter(|u| *u > now) {
        fields.push(Field {
            name: "Silenced".into(),
            value: format!("until {}", clock(until)),
        });
    }
    Reply::Card(Card {
        title,
        body: g.detail.body.clone(),
        fields,
        citations: g.detail.links.clone(),
        buttons: buttons(g, runbook, now),
        footer: Some(format!(
            "{} · group #{} · update {}",
            g.source, g.id, g.updates
        )),
    })
}

pub(super) fn post(
    platform: Platform,
    channel: &str,
    thread: Option<String>,
    title: &str,
    reply: Reply,
) -> Outbound {
    Outbound {
        thread_title: Some(title.to_string()),
        platform,
        channel: channel.to_string(),
        thread,
        op: OutboundOp::Post,
        reply,
    }
}

pub(super) fn edit(platform: Platform, channel: &str, outbox_id: i64, reply: Reply) -> Outbound {
    Outbound {
        thread_title: None,
        platform,
        channel: channel.to_string(),
        thread: None,
        op: OutboundOp::Update {
            target: Target::Outbox(outbox_id),
        },
        reply,
    }
}

/// The storm card for the groups folded into it.
pub(super) fn storm_card(stats: &StormStats, started: Millis, now: Millis) -> Reply {
    let (title, body) = stats.summary();
    Reply::Card(Card {
        title,
        body,
        fields: vec![Field { name: "Since".into(), value: format!("{} ago", human_duration(now - started)) }],
        citations: vec![],
        buttons: vec![],
        footer: Some("Over this channel's budget of new cards per minute; these groups are held here instead.".into()),
    })
}
