//! The first-response SLA clock: tickets waiting for a person get a reminder in the escalation channel
//! when most of their target has passed, and a breach notice when all of it has — each once.

use super::Pipeline;
use crate::domain::AuditAction;
use crate::domain::human_duration;
use crate::domain::ports::{AuditEntry, Commit, Outbound, OutboundOp, StoreError, TicketFilter};
use crate::domain::sla::{SlaStep, sla_step};
use crate::domain::{Millis, Reply, Ticket, TicketState};

impl Pipeline {
    /// Sends the SLA notices due at `now`; returns how many.
    pub async fn sla_tick(&self, now: Millis) -> Result<usize, StoreError> {
        let policy = self.settings.support.sla.policy();
        let waiting = self
            .store
            .tickets(&TicketFilter {
                states: vec![TicketState::Escalated, TicketState::Claimed],
                limit: 500,
            })
            .await?;
        let mut n = 0;
        for mut t in waiting {
            let Some(step) = sla_step(&mut t, &policy, now) else {
                continue;
            };
            let Some((platform, channel)) = self.escalation_place(&t) else {
                continue; // nowhere to say it; the state shows in /ops tickets
            };
            let (text, action) = notice(&t, step);
            let audit = AuditEntry {
                at: now,
                actor: "opsdesk".into(),
                action,
                subject: format!("ticket #{}", t.id),
                detail: t.priority.clone().unwrap_or_else(|| "normal".into()),
            };
            let out = Outbound {
                thread_title: None,
                platform,
                channel,
                thread: None,
                op: OutboundOp::Post,
                reply: Reply::text(text),
            };
            match self
                .commit(Commit {
                    ticket: Some(t),
                    outbox: vec![out],
                    audit: vec![audit],
                    now,
                    ..Default::default()
                })
                .await
            {
                Err(StoreError::Conflict(_)) => continue, // the ticket moved on (a reply); the next tick decides again
                other => other?,
            };
            n += 1;
        }
        Ok(n)
    }
}

/// The escalation channel's line for an SLA step, and its audit action.
fn notice(t: &Ticket, step: SlaStep) -> (String, AuditAction) {
    let priority = t.priority.as_deref().unwrap_or("normal");
    let owner = t
        .claimed_by
        .as_deref()
        .map(|o| format!(", claimed by {o}"))
        .unwrap_or_default();
    match step {
        SlaStep::Remind { left_ms } => (
            format!(
                "⏰ Ticket #{} ({priority}{owner}) needs a first answer within {}: \"{}\"",
                t.id,
                human_duration(left_ms),
                t.subject
            ),
            AuditAction::SlaReminder,
        ),
        SlaStep::Breach { target_ms } => (
            format!(
                "🚨 Ticket #{} ({priority}{owner}) has waited longer than its {} first-response \
                 target: \"{}\"",
                t.id,
                human_duration(target_ms),
                t.subject
            ),
            AuditAction::SlaBreached,
        ),
    }
}
