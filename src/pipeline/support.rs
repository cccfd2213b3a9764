//! Customer messages: triage, knowledge-base grounding, the desk's decision, and the replies it implies.

use super::escalation::Escalation;
use super::grounding::Found;
use super::{Handled, Outcome, Pipeline};
use crate::domain::AuditAction;
use crate::domain::ports::{
    AuditEntry, Commit, KbHit, Outbound, OutboundOp, StoreError, ThreadKey, TicketMessage,
    UnstoredEvent,
};
use crate::domain::support::{self, Action, CustomerButton, EscalationReason, Incoming, Policy};
use crate::domain::{
    Button, ButtonStyle, Card, ChannelRole, Citation, Event, Millis, Reply, Ticket, Tier, Triage,
};
use crate::kb::passage::extract_at;
use minijinja::context;

/// Cuts a message to `max` characters; returns the customer's words (what is triaged and searched)
/// and whether anything was cut.
pub fn truncate(text: &str, max: usize) -> (&str, bool) {
    match text.char_indices().nth(max) {
        Some((i, _)) => (&text[..i], true),
        None => (text, false),
    }
}

/// The text kept with the ticket: the customer's words, and a notice when they were cut.
fn stored_text(text: &str, truncated: bool, max: usize) -> String {
    if truncated {
        format!("{text}\n[… truncated: the message was longer than {max} characters]")
    } else {
        text.to_string()
    }
}

/// One customer message as the desk handles it.
pub(super) struct Msg<'a> {
    pub ev: &'a Event,
    /// The customer's words, cut to `support.max_message_chars`.
    pub text: &'a str,
    pub truncated: bool,
    pub key: ThreadKey<'a>,
    pub mentioned: bool,
    /// A retry after a conflict: the thread's ticket may exist even for a top-level message.
    pub retry: bool,
    pub now: Millis,
}

impl Pipeline {
    /// A message in a configured channel: the customer desk, or the team's conversations (escalation
    /// threads, alert threads, mentions in internal channels).
    pub(super) async fn on_message(
        &self,
        ev: &Event,
        raw: &str,
        mentioned: bool,
        retry: bool,
        unstored: Option<&UnstoredEvent>,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        match self.settings.channel_role(ev.platform, &ev.channel) {
            Some(ChannelRole::Customer) => {}
            // A reply in an escalation card's thread goes to the customer.
            Some(ChannelRole::Escalation) if ev.thread.is_some() => {
                return self.on_team_reply(ev, raw.trim(), now).await;
            }
            // In an alert card's thread: a command (`ack`, `silence 2h`…) or a question about the group.
            Some(ChannelRole::Alerts) if ev.thread.is_some() => {
                return self.on_alert_thread(ev, raw.trim(), now).await;
            }
            // The team asks the assistant by mentioning the bot in an internal channel.
            Some(ChannelRole::Internal) if mentioned => {
                return self.on_internal(ev, raw.trim(), now).await;
            }
            _ => return Ok(Handled::Ignored("not a customer channel")),
        }
        let max = self.settings.support.max_message_chars;
        let (text, truncated) = truncate(raw.trim(), max);
        if truncated {
            tracing::warn!(event = %ev.inbox_key(), chars = raw.chars().count(), "message truncated");
        }
        let key = ThreadKey {
            platform: ev.platform,
            channel: &ev.channel,
            thread: ev.thread_key(),
        };
        let m = Msg {
            ev,
            text,
            truncated,
            key,
            mentioned,
            retry,
            now,
        };
        self.on_customer(&m, unstored).await
    }

    async fn on_customer(
        &self,
        m: &Msg<'_>,
        unstored: Option<&UnstoredEvent>,
    ) -> Result<Handled, StoreError> {
        let s = &self.settings;
        let judged = self.judge(m.text, &m.key, m.now).await?;
        let triage = judged.decided.clone();
        if let crate::domain::tier::TriageReason::Spam(why) = &triage.reason {
            return Ok(Handled::Spam(why.clone()));
        }
        let Some((mut ticket, opens)) = self.ticket_for(m, &triage).await? else {
            self.record_judged(&judged, None, m.now).await?;
            count_customer_message("none", "ignored");
            return Ok(Handled::Ignored("not a support request"));
        };
        self.record_judged(&judged, Some(ticket.id), m.now).await?;
        ticket.triage_offline = Some(judged.offline.clone());
        if judged.llm.is_some() {
            ticket.triage_llm = judged.llm.clone();
        }
        let account = self.store.customer(m.ev.platform, &m.ev.user).await?;
        let found = self
            .find_answer(m, &triage, &ticket, account.as_ref())
            .await?;
        let incoming = Incoming {
            text: m.text,
            mentioned: m.mentioned,
            vip: account.as_ref().is_some_and(|c| c.vip),
            triage: &triage,
            grounded: found.grounded(),
            agent_asked: found.asked,
        };
        let policy = Policy {
            unhelpful_turns: s.support.unhelpful_turns,
        };
        let action = support::on_customer_message(&mut ticket, &incoming, &policy, m.now);
        if !matches!(action, Action::Silent(_)) {
            ticket.prompt_version = Some(self.templates.version().to_string());
        }
        let mut c = Commit {
            inbox_key: Some(m.ev.inbox_key()),
            unstored: unstored.cloned(),
            opens_ticket: opens,
            now: m.now,
            ..Default::default()
        };
        let text = stored_text(m.text, m.truncated, s.support.max_message_chars);
        c.messages
            .push((ticket.id, message("customer", &m.ev.user, text, m.now)));
        let mut out = Outcome {
            tier: Some(triage.tier),
            confidence: Some(triage.confidence),
            ticket: Some(ticket.id),
            ..Outcome::default()
        };
        match &action {
            Action::Silent(_) => {}
            Action::Answer(tier) => {
                self.answer_customer(m, &ticket, *tier, &found, &mut c, &mut out)
            }
            Action::Escalate(reason) => {
                let e = Escalation {
                    reason: &reason.describe(),
                    candidates: &found.candidates,
                    checked: found.checked.as_ref(),
                    triage: &triage,
                    account: account.as_ref(),
                };
                out.known_issues = found
                    .checked
                    .iter()
                    .flat_map(|c| c.known.iter().map(citation))
                    .collect();
                out.suggestions = out.known_issues.clone();
                out.suggestions
                    .extend(e.offered().into_iter().map(citation));
                self.hand_to_person(m, &ticket, reason, &e, &mut c).await?;
                if reason.is_gap() {
                    c.gaps.push(crate::domain::gaps::KbGap {
                        ticket: ticket.id,
                        at: m.now,
                        question: m.text.to_string(),
                        reason: reason.describe(),
                    });
                }
                out.escalated = true;
            }
        }
        c.ticket = Some(ticket.clone());
        out.outbox = self.commit(c).await?;
        let outcome = match &action {
            Action::Silent(_) => "silent",
            Action::Answer(_) => "answered",
            Action::Escalate(_) => "escalated",
        };
        count_customer_message(triage.tier.as_str(), outcome);
        self.file_drafts(&ticket, found.drafts, m.now).await?;
        Ok(Handled::Done(out))
    }

    /// The thread's ticket, or a new one (`true`: the commit inserts it); `None` for chit-chat that has
    /// no ticket to belong to.
    async fn ticket_for(
        &self,
        m: &Msg<'_>,
        triage: &Triage,
    ) -> Result<Option<(Ticket, bool)>, StoreError> {
        // A top-level message starts its own thread, which has no ticket yet; if one appeared (a race, or
        // a message stored by an older version), opening another is a conflict and the retry finds it.
        if (m.ev.thread.is_some() || m.retry)
            && let Some(t) = self.store.find_ticket(&m.key).await?
        {
            return Ok(Some((t, false)));
        }
        // Chit-chat opens no ticket; in an existing ticket's thread it is kept with the conversation.
        if triage.tier == Tier::None && !m.mentioned {
            return Ok(None);
        }
        let subject: String = m.text.chars().take(80).collect();
        let id = self.store.new_ticket_id().await?;
        let ticket = Ticket::open(id, &m.key, &m.ev.user, &subject, m.now);
        if self.llm.is_none() {
            return Ok(Some((ticket, true)));
        }
        // Model usage is charged to its ticket as it is bought, so a ticket an agent may work on is
        // stored first (the model's latency dwarfs this extra write).
        self.commit(Commit {
            ticket: Some(ticket.clone()),
            opens_ticket: true,
            now: m.now,
            ..Default::default()
        })
        .await?;
        Ok(Some((ticket, false)))
    }

    /// The answer card in the customer's thread: the agent's cited answer, or the best section's
    /// extract with its link; Solved / Talk to a human.
    fn answer_customer(
        &self,
        m: &Msg<'_>,
        t: &Ticket,
        tier: Tier,
        found: &Found,
        c: &mut Commit,
        out: &mut Outcome,
    ) {
        let (body, citations) = match &found.llm {
            // The model's answer, checked to cite only sections it was given.
            Some(g) => (g.text.clone(), g.cited.iter().map(citation).collect()),
            None => {
                let hit = found
                    .best
                    .as_ref()
                    .expect("the desk answers only when grounded");
                let chars = self.settings.kb.answer_chars;
                let ctx = context! {
                    extract => extract_at(&hit.text, self.kb.focus(m.text, hit), chars),
                    title => &hit.title,
                    truncated => m.truncated,
                };
                (self.templates.render("answer.md", ctx), vec![citation(hit)])
            }
        };
        let id = t.id.to_string();
        let card = Card {
            title: if tier == Tier::Tier2 && found.llm.is_some() {
                "What we found".into()
            } else {
                "From our docs".into()
            },
            body: body.clone(),
            citations: citations.clone(),
            buttons: vec![
                Button::new("Solved ✅", CustomerButton::Solved, id.clone())
                    .styled(ButtonStyle::Primary),
                Button::new("Talk to a human", CustomerButton::Human, id),
            ],
            ..Default::default()
        };
        let author = format!("opsdesk/{tier}");
        c.messages
            .push((t.id, message("bot", &author, body.clone(), m.now)));
        c.outbox.push(in_thread(m.ev, t, Reply::Card(card)));
        out.answer = Some(body);
        out.citations = citations;
    }

    /// Tells the customer a person will answer, and posts the escalation card for the team.
    async fn hand_to_person(
        &self,
        m: &Msg<'_>,
        t: &Ticket,
        reason: &EscalationReason,
        e: &Escalation<'_>,
        c: &mut Commit,
    ) -> Result<(), StoreError> {
        let pages: Vec<_> = e
            .offered()
            .into_iter()
            .map(|h| context! { title => &h.title, link => &h.link })
            .collect();
        let known: Vec<_> = e
            .checked
            .map(|c| {
                c.known
                    .iter()
                    .map(|h| context! { title => &h.title, link => &h.link })
            })
            .into_iter()
            .flatten()
            .collect();
        let notice = self.templates.render(
            "escalated.md",
            context! {
                reason => reason.describe(), ticket => t.id, pages,
                incident => e.checked.is_some(), known,
                firing => e.checked.is_some_and(|c| !c.alerts.is_empty()),
            },
        );
        c.messages
            .push((t.id, message("bot", "opsdesk", notice.clone(), m.now)));
        c.outbox.push(in_thread(m.ev, t, Reply::text(notice)));
        c.outbox
            .extend(self.escalation_card(t, m.text, e, m.now).await?);
        c.audit.push(AuditEntry {
            at: m.now,
            actor: "opsdesk".into(),
            action: AuditAction::TicketEscalated,
            subject: format!("ticket #{}", t.id),
            detail: reason.describe(),
        });
        Ok(())
    }
}

/// One customer message in `opsdesk_customer_messages_total`: its tier and what the desk did.
fn count_customer_message(tier: &str, outcome: &'static str) {
    metrics::counter!(
        "opsdesk_customer_messages_total",
        "tier" => tier.to_string(),
        "outcome" => outcome
    )
    .increment(1);
}

fn citation(h: &KbHit) -> Citation {
    Citation {
        title: h.title.clone(),
        link: h.link.clone(),
        id: h.id.clone(),
    }
}

fn message(kind: &str, author: &str, text: String, at: Millis) -> TicketMessage {
    TicketMessage {
        author_kind: kind.into(),
        author: author.into(),
        text,
        at,
    }
}

/// A post in the customer's thread (which the first answer creates on Discord, named after the ticket).
fn in_thread(ev: &Event, t: &Ticket, reply: Reply) -> Outbound {
    Outbound {
        thread_title: Some(t.subject.clone()),
        platform: ev.platform,
        channel: ev.channel.clone(),
        thread: Some(ev.thread_key().to_string()),
        op: OutboundOp::Post,
        reply,
    }
}

#[cfg(test)]
mod tests {
    use super::{stored_text, truncate};

    #[test]
    fn truncation_keeps_char_boundaries_and_says_so() {
        assert_eq!(truncate("héllo wörld", 4), ("héll", true));
        assert_eq!(truncate("short", 10), ("short", false));
        assert_eq!(
            stored_text("héll", true, 4),
            "héll\n[… truncated: the message was longer than 4 characters]"
        );
        assert_eq!(stored_text("short", false, 10), "short");
    }
}
