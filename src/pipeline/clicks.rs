//! Button clicks: routed by their typed action to each flow; a customer's "Solved ✅" / "Talk to a
//! human" on an answer card handled here.

use super::escalation::Escalation;
use super::{Handled, Outcome, Pipeline};
use crate::domain::AuditAction;
use crate::domain::ports::{
    AuditEntry, Commit, Outbound, OutboundOp, StoreError, Target, TicketMessage,
};
use crate::domain::support::{self, ClickOutcome, CustomerButton, EscalationReason};
use crate::domain::tier::TriageReason;
use crate::domain::{ButtonAction, Card, Event, Millis, Reply, Ticket, Tier, Triage};

/// The answer card as it was posted, buttons removed and the outcome underneath; a generic card when
/// the original is unknown (posted by an older version, or by another platform's replica).
fn card_edit(
    ev: &Event,
    message: &str,
    original: Option<&Card>,
    ticket: i64,
    footer: &str,
) -> Outbound {
    let card = match original {
        Some(c) => Card {
            buttons: vec![],
            footer: Some(footer.into()),
            ..c.clone()
        },
        None => Card {
            title: format!("Ticket #{ticket}"),
            body: footer.into(),
            footer: Some(footer.into()),
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
}

impl Pipeline {
    /// A click on any of opsdesk's buttons, routed by its typed action to its flow.
    pub(super) async fn on_button(
        &self,
        ev: &Event,
        action: &str,
        value: &str,
        message: &str,
        input: Option<&str>,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        let Some(action) = ButtonAction::parse(action) else {
            return Ok(Handled::Ignored("unknown button"));
        };
        match action {
            ButtonAction::Customer(b) => self.on_click(ev, b, value, message, now).await,
            ButtonAction::Team(b) => self.on_team_click(ev, b, message, now).await,
            ButtonAction::Rate => self.on_rating(ev, value, message, now).await,
            ButtonAction::Approval(b) => self.on_approval_click(ev, b, value, input, now).await,
            ButtonAction::Link(b) => self.on_link_click(ev, b, value, message, now).await,
            ButtonAction::Alert(b) => self.on_alert_click(ev, b, value, now).await,
        }
    }

    /// The customer's "Solved" / "Talk to a human" under an answer.
    async fn on_click(
        &self,
        ev: &Event,
        button: CustomerButton,
        value: &str,
        message: &str,
        now: Millis,
    ) -> Result<Handled, StoreError> {
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
        let result = support::on_customer_click(&mut ticket, button, &ev.user, now);
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
        let edit = |footer: &str| card_edit(ev, message, original.as_ref(), ticket.id, footer);
        match result {
            ClickOutcome::NotYours => c.outbox.push(super::private(
                ev,
                Reply::text("Only the person who asked can use these buttons."),
            )),
            ClickOutcome::AlreadyDone(state) => c.outbox.push(super::private(
                ev,
                Reply::text(format!("Ticket #{} is already {state}.", ticket.id)),
            )),
            ClickOutcome::Resolved => {
                let who = ev.user_name.as_deref().unwrap_or(&ev.user);
                c.outbox.push(edit(&format!("✅ Marked solved by {who}")));
                self.solved(ev, &ticket, &mut c);
            }
            ClickOutcome::Escalated => {
                c.outbox.push(edit("🙋 A person will take it from here"));
                self.asked_for_a_person(ev, &ticket, &mut c).await?;
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
            ..Outcome::default()
        }))
    }

    /// "Solved ✅": the customer is asked to rate it, and the click is kept with the conversation.
    fn solved(&self, ev: &Event, ticket: &Ticket, c: &mut Commit) {
        c.outbox.push(self.rating_request(ticket));
        c.messages.push((
            ticket.id,
            TicketMessage {
                author_kind: "customer".into(),
                author: ev.user.clone(),
                text: "[clicked Solved]".into(),
                at: c.now,
            },
        ));
        c.audit.push(AuditEntry {
            at: c.now,
            actor: ev.user.clone(),
            action: AuditAction::TicketResolved,
            subject: format!("ticket #{}", ticket.id),
            detail: "customer clicked Solved".into(),
        });
    }

    /// "Talk to a human": the customer is told a person will answer, and the team gets the card.
    async fn asked_for_a_person(
        &self,
        ev: &Event,
        ticket: &Ticket,
        c: &mut Commit,
    ) -> Result<(), StoreError> {
        let notice = self.templates.render(
            "escalated.md",
            minijinja::context! { reason => "customer asked", ticket => ticket.id },
        );
        c.outbox.push(Outbound {
            thread_title: None,
            platform: ev.platform,
            channel: ev.channel.clone(),
            thread: ev.thread.clone(),
            op: OutboundOp::Post,
            reply: Reply::text(notice),
        });
        let triage = Triage {
            tier: Tier::Human,
            confidence: 1.0,
            reason: TriageReason::Rule("asked for a human".into()),
        };
        let account = self
            .store
            .customer(ticket.platform, &ticket.customer)
            .await?;
        let reason = EscalationReason::CustomerAsked.describe();
        let e = Escalation {
            reason: &reason,
            candidates: &[],
            checked: None,
            triage: &triage,
            account: account.as_ref(),
        };
        c.outbox.extend(
            self.escalation_card(ticket, &ticket.subject, &e, c.now)
                .await?,
        );
        c.audit.push(AuditEntry {
            at: c.now,
            actor: ev.user.clone(),
            action: AuditAction::TicketEscalated,
            subject: format!("ticket #{}", ticket.id),
            detail: "customer clicked Talk to a human".into(),
        });
        Ok(())
    }
}
