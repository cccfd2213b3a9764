//! Button clicks: a customer's "Solved ✅" / "Talk to a human" on an answer card.

use super::{Handled, Outcome, Pipeline};
use crate::domain::ports::{
    AuditEntry, Commit, Outbound, OutboundOp, StoreError, Target, TicketMessage,
};
use crate::domain::support::{self, ClickOutcome, CustomerButton};
use crate::domain::{Card, Event, Millis, Reply};

impl Pipeline {
    pub(super) async fn on_click(
        &self,
        ev: &Event,
        action: &str,
        value: &str,
        message: &str,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        let Some(button) = CustomerButton::parse(action) else {
            return Ok(Handled::Ignored("unknown button"));
        };
        let Some(mut ticket) = (match value.parse::<i64>() {
            Ok(id) => self.store.ticket(id).await?,
            Err(_) => None,
        }) else {
            return Ok(Handled::Ignored("button names no ticket"));
        };
        let mut c = Commit {
            inbox_key: Some(ev.inbox_key()),
            now,
            ..Default::default()
        };
        let reply_to = |text: String| super::private(ev, Reply::text(text));
        let result = support::on_customer_click(&mut ticket, button, &ev.user, now);
        // The card as it was posted, buttons removed and the outcome underneath; a generic card when the
        // original is unknown (posted by an older version, or by another platform's replica).
        let original = match self
            .store
            .outbox_delivered(ev.platform, &ev.channel, message)
            .await?
        {
            Some(Outbound {
                reply: Reply::Card(c),
                ..
            }) => Some(c),
            _ => None,
        };
        let card_edit = |footer: String| {
            let card = match &original {
                Some(c) => Card {
                    buttons: vec![],
                    footer: Some(footer),
                    ..c.clone()
                },
                None => Card {
                    title: format!("Ticket #{}", ticket.id),
                    body: footer.clone(),
                    footer: Some(footer),
                    ..Default::default()
                },
            };
            Outbound {
                thread_title: None,
                platform: ev.platform,
                channel: ev.channel.clone(),
                thread: ev.thread.clone(),
                op: OutboundOp::Update {
                    target: Target::Message(message.to_string()),
                },
                reply: Reply::Card(card),
            }
        };
        match result {
            ClickOutcome::NotYours => c.outbox.push(reply_to(
                "Only the person who asked can use these buttons.".into(),
            )),
            ClickOutcome::AlreadyDone(state) => c.outbox.push(reply_to(format!(
                "Ticket #{} is already {state}.",
                ticket.id
            ))),
            ClickOutcome::Resolved => {
                c.outbox.push(card_edit(format!(
                    "✅ Marked solved by {}",
                    ev.user_name.as_deref().unwrap_or(&ev.user)
                )));
                c.outbox.push(self.rating_request(&ticket));
                c.messages.push((
                    ticket.id,
                    TicketMessage {
                        author_kind: "customer".into(),
                        author: ev.user.clone(),
                        text: "[clicked Solved]".into(),
                        at: now,
                    },
                ));
                c.audit.push(AuditEntry {
                    at: now,
                    actor: ev.user.clone(),
                    action: "ticket.resolved".into(),
                    subject: format!("ticket #{}", ticket.id),
                    detail: "customer clicked Solved".into(),
                });
            }
            ClickOutcome::Escalated => {
                let notice = self.templates.render(
                    "escalated.md",
                    minijinja::context! { reason => "customer asked", ticket => ticket.id },
                );
                c.outbox
                    .push(card_edit("🙋 A person will take it from here".into()));
                c.outbox.push(Outbound {
                    thread_title: None,
                    platform: ev.platform,
                    channel: ev.channel.clone(),
                    thread: ev.thread.clone(),
                    op: OutboundOp::Post,
                    reply: Reply::text(notice),
                });
                let subject = ticket.subject.clone();
                let triage = crate::domain::Triage {
                    tier: crate::domain::Tier::Human,
                    confidence: 1.0,
                    reason: crate::domain::tier::TriageReason::Rule("asked for a human".into()),
                };
                let account = self
                    .store
                    .customer(ticket.platform, &ticket.customer)
                    .await?;
                let reason = support::EscalationReason::CustomerAsked.describe();
                let e = super::escalation::Escalation {
                    reason: &reason,
                    best: None,
                    triage: &triage,
                    account: account.as_ref(),
                };
                c.outbox
                    .extend(self.escalation_card(&ticket, &subject, &e, now).await?);
                c.audit.push(AuditEntry {
                    at: now,
                    actor: ev.user.clone(),
                    action: "ticket.escalated".into(),
                    subject: format!("ticket #{}", ticket.id),
                    detail: "customer clicked Talk to a human".into(),
                });
            }
        }
        let escalated = matches!(result, ClickOutcome::Escalated);
        if matches!(result, ClickOutcome::Resolved | ClickOutcome::Escalated) {
            c.ticket = Some(ticket.clone());
        }
        let ids = self.commit(c).await?;
        Ok(Handled::Done(Outcome {
            ticket: Some(ticket.id),
            escalated,
            outbox: ids,
            ..Outcome::empty()
        }))
    }
}
