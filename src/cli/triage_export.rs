//! `opsdesk triage export [--since 90d]`: the desk's resolved tickets as labelled JSONL lines
//! `{"text", "tier"}` — the customer's first message, and the tier the ticket ended with
//! (`Ticket::learned_tier`) — ready for `triage train` together with the shipped data.

use crate::config::Settings;
use crate::domain::TicketState;
use crate::domain::ports::{TicketFilter, TicketStore};
use std::io::Write;

/// The most tickets one export reads.
const MAX_TICKETS: i64 = 1_000_000;

/// Writes the lines to `out`; returns how many tickets were written and how many skipped.
pub async fn run(
    s: &Settings,
    since: Option<&str>,
    now: i64,
    out: &mut impl Write,
) -> anyhow::Result<(usize, usize)> {
    let since = match since {
        Some(d) => now - crate::domain::time::parse_duration(d).map_err(anyhow::Error::msg)?,
        None => i64::MIN,
    };
    let store = crate::app::open_store(s, &s.store.url).await?;
    let tickets = store
        .tickets(&TicketFilter {
            states: vec![TicketState::Resolved],
            limit: MAX_TICKETS,
        })
        .await?;
    let (mut written, mut skipped) = (0, 0);
    for t in tickets {
        if t.resolved_at.unwrap_or(t.updated_at) < since {
            continue;
        }
        let Some(tier) = t.learned_tier() else {
            skipped += 1;
            continue;
        };
        let first = store
            .ticket_messages(t.id)
            .await?
            .into_iter()
            .find(|m| m.author_kind == "customer")
            .map_or(t.subject.clone(), |m| m.text);
        if first.trim().is_empty() {
            skipped += 1;
            continue;
        }
        let line = serde_json::json!({"text": first, "tier": tier});
        writeln!(out, "{line}")?;
        written += 1;
    }
    Ok((written, skipped))
}
