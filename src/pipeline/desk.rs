//! People owning tickets: the escalation card's buttons (Claim, Send suggested reply, Resolve, Hand
//! back), replies written in the card's thread relayed to the customer (across platforms, attributed to
//! the team), and the customer's rating after resolution. Only team members act; the ticket's state —
//! not a prompt — keeps the bot silent while a person owns it.

use super::{Handled, Outcome, Pipeline};
use crate::domain::AuditAction;
use crate::domain::desk::{self, TeamButton, TeamOutcome};
use crate::domain::ports::{
    AuditEntry, Commit, KbHit, Outbound, OutboundOp, StoreError, Target, TicketMessage,
};
use crate::domain::{
    Button, ButtonAction, ButtonStyle, Card, Event, Millis, Reply, Ticket, TicketState,
};
use crate::kb::passage::extract_at;

/// The escalation card's field holding the suggested reply (read back when "Send suggested reply" is clicked).
pub const SUGGESTED: &str = "Suggested reply";

/// The team's buttons for a ticket in `state`.
pub fn desk_buttons(ticket: i64, state: TicketState) -> Vec<Button> {
    let id = ticket.to_string();
    let claim = Button::new("Claim", TeamButton::Claim, id.clone()).styled(ButtonStyle::Primary);
    let suggest = Button::new(
        "Send suggested reply",
        TeamButton::SendSuggested,
        id.clone(),
    );
    let resolve = Button::new("Resolve", TeamButton::Resolve, id.clone());
    let back = Button::new("Hand back to the bot", TeamButton::HandBack, id);
    match state {
        TicketState::Escalated => vec![claim, suggest, resolve, back],
        TicketState::Claimed => vec![suggest, resolve, back],
        _ => vec![],
    }
}

/// The rating buttons shown to the customer after resolution.
fn rating_card(text: String, ticket: i64) -> Card {
    let b = |label: &str, score: i64| {
        Button::new(label, ButtonAction::Rate, format!("{ticket}:{score}"))
    };
    Card {
        title: "How did we do?".into(),
        body: text,
        buttons: vec![b("😞 Poor", 1), b("😐 Okay", 3), b("😀 Great", 5)],
        ..Default::default()
    }
}

impl Pipeline {
    /// The reply a person may send for `question`: the best candidate's passage about it.
    pub(super) fn suggested_reply(&self, question: &str, best: Option<&KbHit>) -> String {
        let ctx = match best {
            Some(h) => {
                let at = self.kb.focus(question, h);
                let extract = extract_at(&h.text, at, self.settings.kb.answer_chars);
                minijinja::context! { extract, title => &h.title, link => &h.link }
            }
            None => minijinja::context! { extract => "" },
        };
        self.templates.render("suggested.md", ctx)
    }

    fn to_customer(t: &Ticket, reply: Reply) -> Outbound {
        Outbound {
            thread_title: Some(t.subject.clone()),
            platform: t.platform,
            channel: t.channel.clone(),
            thread: Some(t.thread.clone()),
            op: OutboundOp::Post,
            reply,
        }
    }

    /// The ticket an escalation card (a delivered message in `channel`) is about, and the card.
    async fn card_ticket(
        &self,
        ev: &Event,
        message: &str,
    ) -> Result<Option<(Ticket, Card)>, StoreError> {
        let Some(Outbound {
            reply: Reply::Card(card),
            ..
        }) = self
            .store
            .outbox_delivered(ev.platform, &ev.channel, message)
            .await?
        else {
            return Ok(None);
        };
        let Some(id) = card
            .buttons
            .iter()
            .find(|b| matches!(ButtonAction::parse(&b.action), Some(ButtonAction::Team(_))))
            .and_then(|b| b.value.parse::<i64>().ok())
        else {
            return Ok(None);
        };
        Ok(self.store.ticket(id).await?.map(|t| (t, card)))
    }

    fn refuse(ev: &Event, text: &str) -> Outbound {
        super::private(ev, Reply::text(text))
    }

    fn member(ev: &Event) -> String {
        format!("{}:{}", ev.platform.as_str(), ev.user)
    }

    /// The escalation card after a change: the same card, its buttons for the new state, who did what.
    fn card_after(ev: &Event, message: &str, card: &Card, t: &Ticket, note: String) -> Outbound {
        let card = Card {
            buttons: desk_buttons(t.id, t.state),
            footer: Some(note),
            ..card.clone()
        };
        Outbound {
            thread_title: None,
            platform: ev.platform,
            channel: ev.channel.clone(),
            thread: None,
            op: OutboundOp::Update {
                target: Target::Message(message.to_string()),
            },
            reply: Reply::Card(card),
        }
    }

    pub(super) async fn on_team_click(
        &self,
        ev: &Event,
        button: TeamButton,
        message: &str,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        let action = ButtonAction::Team(button).name();
        let mut c = Commit {
            inbox_key: Some(ev.inbox_key()),
            now,
            ..Default::default()
        };
        if !self.settings.team_member(ev.platform, &ev.user, &ev.roles) {
            c.outbox.push(Self::refuse(
                ev,
                "Only the team (ops.allowed_users) can act on escalated tickets.",
            ));
            c.audit.push(AuditEntry {
                at: now,
                actor: Self::member(ev),
                action: AuditAction::DeskRefused,
                subject: message.into(),
                detail: action.into(),
            });
            let ids = self.commit(c).await?;
            return Ok(Handled::Done(Outcome {
                outbox: ids,
                ..Outcome::default()
            }));
        }
        let Some((mut t, card)) = self.card_ticket(ev, message).await? else {
            return Ok(Handled::Ignored("card names no ticket"));
        };
        let who = ev.user_name.clone().unwrap_or_else(|| Self::member(ev));
        let outcome = desk::on_team_click(&mut t, button, &Self::member(ev), now);
        let note = self.team_outcome(ev, &t, &card, &outcome, &who, &mut c);
        if !note.is_empty() {
            c.outbox
                .push(Self::card_after(ev, message, &card, &t, note.clone()));
            c.audit.push(AuditEntry {
                at: now,
                actor: Self::member(ev),
                action: AuditAction::Desk(button),
                subject: format!("ticket #{}", t.id),
                detail: note,
            });
            c.ticket = Some(t.clone());
        }
        let mut ids = self.commit(c).await?;
        if outcome == TeamOutcome::Resolved
            && let Some(a) = self.offer_kb_entry(&t, ev, message, now).await?
        {
            ids.extend(a.card);
        }
        Ok(Handled::Done(Outcome {
            ticket: Some(t.id),
            outbox: ids,
            ..Outcome::default()
        }))
    }

    /// What a team member's click did: the card's note (empty when refused) and the messages it sends.
    fn team_outcome(
        &self,
        ev: &Event,
        t: &Ticket,
        card: &Card,
        outcome: &TeamOutcome,
        who: &str,
        c: &mut Commit,
    ) -> String {
        match outcome {
            TeamOutcome::Claimed => format!("🙋 Claimed by {who}"),
            TeamOutcome::Reply => {
                let text = card
                    .fields
                    .iter()
                    .find(|f| f.name == SUGGESTED)
                    .map(|f| f.value.clone())
                    .unwrap_or_default();
                c.outbox.push(Self::to_customer(
                    t,
                    Reply::text(format!("💬 {who} (support team): {text}")),
                ));
                c.messages.push((
                    t.id,
                    TicketMessage {
                        author_kind: "human".into(),
                        author: Self::member(ev),
                        text,
                        at: c.now,
                    },
                ));
                format!("💬 Suggested reply sent by {who}")
            }
            TeamOutcome::Resolved => {
                c.outbox.push(self.rating_request(t));
                format!("✅ Resolved by {who}")
            }
            TeamOutcome::HandedBack => format!("🤖 Handed back to the bot by {who}"),
            TeamOutcome::ClaimedBy(owner) => {
                let why = format!("Ticket #{} is already claimed by {owner}.", t.id);
                c.outbox.push(Self::refuse(ev, &why));
                String::new()
            }
            TeamOutcome::AlreadyDone(state) => {
                let why = format!("Ticket #{} is already {state}.", t.id);
                c.outbox.push(Self::refuse(ev, &why));
                String::new()
            }
        }
    }

    /// A message in an escalation card's thread: from a team member it goes to the customer, and its
    /// author owns the ticket from then on.
    pub(super) async fn on_team_reply(
        &self,
        ev: &Event,
        text: &str,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        let Some(root) = ev.thread.as_deref() else {
            return Ok(Handled::Ignored("not in a card's thread"));
        };
        let Some((mut t, card)) = self.card_ticket(ev, root).await? else {
            return Ok(Handled::Ignored("a thread without a ticket card"));
        };
        if !self.settings.team_member(ev.platform, &ev.user, &ev.roles) {
            return Ok(Handled::Ignored("not a team member"));
        }
        let who = ev.user_name.clone().unwrap_or_else(|| Self::member(ev));
        let was = t.state;
        t.human_reply(&Self::member(ev), now);
        let mut c = Commit {
            inbox_key: Some(ev.inbox_key()),
            now,
            ..Default::default()
        };
        c.outbox.push(Self::to_customer(
            &t,
            Reply::text(format!("💬 {who} (support team): {text}")),
        ));
        c.messages.push((
            t.id,
            TicketMessage {
                author_kind: "human".into(),
                author: Self::member(ev),
                text: text.to_string(),
                at: now,
            },
        ));
        if was != t.state {
            c.outbox.push(Self::card_after(
                ev,
                root,
                &card,
                &t,
                format!("🙋 {who} is answering in this thread"),
            ));
            c.audit.push(AuditEntry {
                at: now,
                actor: Self::member(ev),
                action: AuditAction::Desk(TeamButton::Claim),
                subject: format!("ticket #{}", t.id),
                detail: "by replying".into(),
            });
        }
        c.ticket = Some(t.clone());
        let ids = self.commit(c).await?;
        Ok(Handled::Done(Outcome {
            ticket: Some(t.id),
            outbox: ids,
            ..Outcome::default()
        }))
    }

    /// The customer's rating: only theirs counts; the rating card says thanks.
    pub(super) async fn on_rating(
        &self,
        ev: &Event,
        value: &str,
        message: &str,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        let Some((id, score)) = desk::parse_rating(value) else {
            return Ok(Handled::Ignored("not a rating"));
        };
        let Some(mut t) = self.store.ticket(id).await? else {
            return Ok(Handled::Ignored("rating names no ticket"));
        };
        let mut c = Commit {
            inbox_key: Some(ev.inbox_key()),
            now,
            ..Default::default()
        };
        if ev.user != t.customer {
            c.outbox
                .push(Self::refuse(ev, "Only the person who asked can rate this."));
        } else {
            t.rate(score, now);
            let stars = "★".repeat(score as usize) + &"☆".repeat(5 - score as usize);
            let thanks = Card {
                title: "Thanks for the rating".into(),
                body: stars,
                ..Default::default()
            };
            c.outbox.push(Outbound {
                thread_title: None,
                platform: ev.platform,
                channel: ev.channel.clone(),
                thread: ev.thread.clone(),
                op: OutboundOp::Update {
                    target: Target::Message(message.to_string()),
                },
                reply: Reply::Card(thanks),
            });
            c.audit.push(AuditEntry {
                at: now,
                actor: ev.user.clone(),
                action: AuditAction::TicketRated,
                subject: format!("ticket #{}", t.id),
                detail: score.to_string(),
            });
            c.ticket = Some(t.clone());
        }
        let ids = self.commit(c).await?;
        Ok(Handled::Done(Outcome {
            ticket: Some(t.id),
            outbox: ids,
            ..Outcome::default()
        }))
    }

    /// The rating question for a ticket the customer just resolved themselves.
    pub(super) fn rating_request(&self, t: &Ticket) -> Outbound {
        let ask = self
            .templates
            .render("csat.md", minijinja::context! { ticket => t.id });
        Self::to_customer(t, Reply::Card(rating_card(ask, t.id)))
    }
}
