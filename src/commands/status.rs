//! `/ops status`: what is connected, queue depths and open tickets.

use super::CommandCtx;
use crate::domain::ports::StoreError;
use crate::domain::{Card, Field, Reply, TicketState};

pub async fn run(ctx: &CommandCtx<'_>) -> Result<Reply, StoreError> {
    let p = ctx.pipeline;
    let depth = p.store.outbox_depth().await?;
    // Events older than a second and still unhandled: this command itself is in flight, not stuck.
    let inbox = p.store.inbox_unprocessed(ctx.now - 1000, 1000).await?.len();
    let counts = p.store.ticket_counts().await?;
    let count = |s: TicketState| counts.iter().find(|(c, _)| *c == s).map_or(0, |(_, n)| *n);
    let open: Vec<String> = TicketState::ALL
        .iter()
        .filter(|s| **s != TicketState::Resolved)
        .map(|s| format!("{} {s}", count(*s)))
        .collect();
    Ok(Reply::Card(Card {
        title: "opsdesk status".into(),
        fields: vec![
            Field {
                name: "Connected".into(),
                value: p.connected.join(", "),
            },
            Field {
                name: "Store".into(),
                value: p.store.backend().into(),
            },
            Field {
                name: "Outbox (undelivered)".into(),
                value: depth.to_string(),
            },
            Field {
                name: "Inbox (unprocessed)".into(),
                value: inbox.to_string(),
            },
            Field {
                name: "Tickets".into(),
                value: format!(
                    "{} · {} resolved",
                    open.join(", "),
                    count(TicketState::Resolved)
                ),
            },
        ],
        ..Default::default()
    }))
}
