//! Customer messages: triage, knowledge-base grounding, the desk's decision, and the replies it implies.

use super::desk::{SUGGESTED, desk_buttons};
use super::{Handled, Outcome, Pipeline};
use crate::domain::ports::{
    AuditEntry, Commit, Customer, KbHit, Outbound, OutboundOp, StoreError, ThreadKey,
    TicketMessage, UnstoredEvent,
};
use crate::domain::support::{self, Action, CustomerButton, Incoming, Policy};
use crate::domain::{
    Button, ButtonStyle, Card, ChannelRole, Citation, Event, Field, Millis, Reply, Ticket,
    TicketState, Tier,
};
use crate::kb::markdown::extract;
use crate::llm::summary::{self, Summary};
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

impl Pipeline {
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
        let s = &self.settings;
        let (text, truncated) = truncate(raw.trim(), s.support.max_message_chars);
        if truncated {
            tracing::warn!(event = %ev.inbox_key(), chars = raw.chars().count(), "message truncated");
        }
        let key = ThreadKey {
            platform: ev.platform,
            channel: &ev.channel,
            thread: ev.thread_key(),
        };
        let judged = self.judge(text, &key, now).await?;
        let triage = judged.decided.clone();
        // A top-level message starts its own thread, which has no ticket yet; if one appeared (a race, or
        // a message stored by an older version), opening another is a conflict and the retry finds it.
        let existing = if ev.thread.is_some() || retry {
            self.store.find_ticket(&key).await?
        } else {
            None
        };
        let (mut ticket, mut opens) = match existing {
            Some(t) => (t, false),
            // Chit-chat opens no ticket; in an existing ticket's thread it is kept with the conversation.
            None if triage.tier == Tier::None && !mentioned => {
                self.record_judged(&judged, None, now).await?;
                return Ok(Handled::Ignored("not a support request"));
            }
            None => {
                let subject: String = text.chars().take(80).collect();
                (
                    Ticket::open(
                        self.store.new_ticket_id().await?,
                        &key,
                        &ev.user,
                        &subject,
                        now,
                    ),
                    true,
                )
            }
        };
        if opens && self.llm.is_some() {
            // Model usage is charged to its ticket as it is bought, so a ticket an agent may work on is
            // stored first (the model's latency dwarfs this extra write).
            self.commit(Commit {
                ticket: Some(ticket.clone()),
                opens_ticket: true,
                now,
                ..Default::default()
            })
            .await?;
            opens = false;
        }
        self.record_judged(&judged, Some(ticket.id), now).await?;
        ticket.triage_offline = Some(judged.offline.clone());
        if judged.llm.is_some() {
            ticket.triage_llm = judged.llm.clone();
        }
        let account = self.store.customer(ev.platform, &ev.user).await?;
        let vip = account.as_ref().is_some_and(|c| c.vip);
        let wants_kb = matches!(triage.tier, Tier::Tier1 | Tier::Tier2) || mentioned;
        let best = if wants_kb {
            self.kb
                .search(text, 3)
                .into_iter()
                .next()
                .filter(|h| h.score >= s.kb.min_score)
        } else {
            None
        };
        // A ticket a person owns gets no bot answer, so the model is not asked either.
        let (llm_answer, llm_asked, drafts) = match triage.tier {
            _ if ticket.state.human_owned() => (None, false, vec![]),
            Tier::Tier1 => {
                let (a, asked) = self
                    .tier1_answer(text, account.as_ref(), &ticket, now)
                    .await?;
                (a, asked, vec![])
            }
            Tier::Tier2 => self.tier2_answer(text, &ticket, now).await?,
            _ => (None, false, vec![]),
        };
        let grounded = if llm_asked {
            llm_answer.is_some()
        } else {
            best.is_some()
        };
        let incoming = Incoming {
            text,
            mentioned,
            vip,
            triage: &triage,
            grounded,
        };
        let action = support::on_customer_message(
            &mut ticket,
            &incoming,
            &Policy {
                unhelpful_turns: s.support.unhelpful_turns,
            },
            now,
        );
        if !matches!(action, Action::Silent(_)) {
            ticket.prompt_version = Some(self.templates.version().to_string());
        }

        let mut c = Commit {
            inbox_key: Some(ev.inbox_key()),
            unstored: unstored.cloned(),
            opens_ticket: opens,
            now,
            ..Default::default()
        };
        c.messages.push((
            ticket.id,
            TicketMessage {
                author_kind: "customer".into(),
                author: ev.user.clone(),
                text: stored_text(text, truncated, s.support.max_message_chars),
                at: now,
            },
        ));
        let mut out = Outcome {
            tier: Some(triage.tier),
            confidence: Some(triage.confidence),
            ticket: Some(ticket.id),
            ..Outcome::empty()
        };
        let thread = Some(ev.thread_key().to_string());
        match &action {
            Action::Silent(_) => {}
            Action::Answer(tier) => {
                let (body, citations) = match &llm_answer {
                    // The model's answer, checked to cite only sections it was given.
                    Some(g) => (
                        g.text.clone(),
                        g.cited
                            .iter()
                            .map(|h| Citation {
                                title: h.title.clone(),
                                link: h.link.clone(),
                            })
                            .collect(),
                    ),
                    None => {
                        let hit = best.as_ref().expect("answers are grounded");
                        let ctx = context! { extract => extract(&hit.text, s.kb.answer_chars), title => &hit.title, truncated };
                        (
                            self.templates.render("answer.md", ctx),
                            vec![Citation {
                                title: hit.title.clone(),
                                link: hit.link.clone(),
                            }],
                        )
                    }
                };
                let card = Card {
                    title: if *tier == Tier::Tier2 && llm_answer.is_some() {
                        "What we found".into()
                    } else {
                        "From our docs".into()
                    },
                    body: body.clone(),
                    citations: citations.clone(),
                    buttons: vec![
                        Button::new("Solved ✅", CustomerButton::SOLVED, ticket.id.to_string())
                            .styled(ButtonStyle::Primary),
                        Button::new(
                            "Talk to a human",
                            CustomerButton::HUMAN,
                            ticket.id.to_string(),
                        ),
                    ],
                    ..Default::default()
                };
                c.messages.push((
                    ticket.id,
                    TicketMessage {
                        author_kind: "bot".into(),
                        author: format!("opsdesk/{tier}"),
                        text: body.clone(),
                        at: now,
                    },
                ));
                c.outbox.push(Outbound {
                    thread_title: Some(ticket.subject.clone()),
                    platform: ev.platform,
                    channel: ev.channel.clone(),
                    thread,
                    op: OutboundOp::Post,
                    reply: Reply::Card(card),
                });
                out.answer = Some(body);
                out.citations = citations;
            }
            Action::Escalate(reason) => {
                let notice = self.templates.render(
                    "escalated.md",
                    context! { reason => reason.describe(), ticket => ticket.id },
                );
                c.messages.push((
                    ticket.id,
                    TicketMessage {
                        author_kind: "bot".into(),
                        author: "opsdesk".into(),
                        text: notice.clone(),
                        at: now,
                    },
                ));
                c.outbox.push(Outbound {
                    thread_title: Some(ticket.subject.clone()),
                    platform: ev.platform,
                    channel: ev.channel.clone(),
                    thread,
                    op: OutboundOp::Post,
                    reply: Reply::text(notice),
                });
                let card = self
                    .escalation_card(
                        &ticket,
                        text,
                        &reason.describe(),
                        best.as_ref(),
                        &triage,
                        account.as_ref(),
                        now,
                    )
                    .await?;
                c.outbox.extend(card);
                c.audit.push(AuditEntry {
                    at: now,
                    actor: "opsdesk".into(),
                    action: "ticket.escalated".into(),
                    subject: format!("ticket #{}", ticket.id),
                    detail: reason.describe(),
                });
                out.escalated = true;
            }
        }
        c.ticket = Some(ticket.clone());
        out.outbox = self.commit(c).await?;
        self.file_drafts(&ticket, drafts, now).await?;
        Ok(Handled::Done(out))
    }

    /// Tier 1 through the LLM when one is configured: `(answer, asked)`; `asked` is false when the
    /// offline path decides (no LLM or no budget, another tier, or the LLM unreachable — which is logged).
    async fn tier1_answer(
        &self,
        text: &str,
        account: Option<&Customer>,
        ticket: &Ticket,
        now: Millis,
    ) -> Result<(Option<crate::llm::tier1::Grounded>, bool), StoreError> {
        let s = &self.settings;
        let Some(agent) = self.agent("tier1", now).await? else {
            return Ok((None, false));
        };
        let hits: Vec<KbHit> = self
            .kb
            .search(text, 5)
            .into_iter()
            .filter(|h| h.score >= s.kb.min_score / 2.0)
            .collect();
        let sections: Vec<_> = hits
            .iter()
            .map(|h| context! { id => &h.id, title => &h.title, text => extract(&h.text, 1200) })
            .collect();
        let system = self.templates.render("tier1.md", context! { sections });
        let tools = crate::llm::tier1::AccountTools {
            customer: account.map(|c| c.account_id.clone()),
            ledger: self.store.finance_ledger().await?,
        };
        let question = self.memory(ticket, text).await?;
        match crate::llm::tier1::answer(
            agent.llm.as_ref(),
            system,
            &question,
            &hits,
            &tools,
            s.llm.max_rounds,
        )
        .await
        {
            Ok((answer, usage)) => {
                let outcome = if answer.is_some() {
                    "grounded"
                } else {
                    "not grounded"
                };
                self.record_llm(
                    "tier1",
                    &agent.settings,
                    usage,
                    outcome,
                    Some(ticket.id),
                    now,
                )
                .await?;
                Ok((answer, true))
            }
            Err(e) => {
                tracing::warn!(error = %e, "the LLM is unavailable: tier 1 answers offline");
                Ok((None, false))
            }
        }
    }

    /// The ticket's conversation from our own store (earlier turns, newest kept) within the memory
    /// budget, ending with the message being answered.
    pub(super) async fn memory(&self, t: &Ticket, text: &str) -> Result<String, StoreError> {
        let budget = self.settings.llm.memory_tokens * 4;
        let earlier = summary::history(
            &self.store.ticket_messages(t.id).await?,
            budget.saturating_sub(text.len()),
        );
        Ok(if earlier.is_empty() {
            text.to_string()
        } else {
            format!("Earlier in this conversation:\n{earlier}\n\nThe customer now asks:\n{text}")
        })
    }

    /// The summary agent's view of an escalated ticket, when one is configured and answers usefully.
    async fn escalation_summary(
        &self,
        t: &Ticket,
        text: &str,
        reason: &str,
        now: Millis,
    ) -> Result<Option<Summary>, StoreError> {
        let s = &self.settings;
        let Some(agent) = self.agent("summary", now).await? else {
            return Ok(None);
        };
        let mut conversation = summary::history(
            &self.store.ticket_messages(t.id).await?,
            summary::HISTORY_CHARS,
        );
        if !conversation.ends_with(text) {
            conversation.push_str(&format!("\ncustomer ({}): {text}", t.customer));
        }
        let system = self.templates.render("summary.md", context! { reason });
        match summary::summarise(agent.llm.as_ref(), system, conversation, s.llm.max_rounds).await {
            Ok((found, usage)) => {
                let outcome = if found.is_some() {
                    "summary"
                } else {
                    "no usable summary"
                };
                self.record_llm("summary", &agent.settings, usage, outcome, Some(t.id), now)
                    .await?;
                Ok(found)
            }
            Err(e) => {
                tracing::warn!(error = %e, "the LLM is unavailable: the escalation card uses its offline template");
                Ok(None)
            }
        }
    }

    /// The card people see in the escalation channel of the ticket's platform (with the summary agent's
    /// reading of the conversation when one is configured).
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn escalation_card(
        &self,
        t: &Ticket,
        text: &str,
        reason: &str,
        best: Option<&KbHit>,
        triage: &crate::domain::Triage,
        account: Option<&Customer>,
        now: Millis,
    ) -> Result<Option<Outbound>, StoreError> {
        // The team's escalation channel on the customer's platform, or on any platform (customers on
        // Discord, team on Slack).
        let place = match self
            .settings
            .channel_with_role(t.platform, ChannelRole::Escalation)
        {
            Some(c) => Some((t.platform, c.to_string())),
            None => self
                .settings
                .channels
                .iter()
                .find(|c| c.role == ChannelRole::Escalation)
                .map(|c| (c.platform, c.id.clone())),
        };
        let Some((platform, channel)) = place else {
            return Ok(None);
        };
        let summary = self.escalation_summary(t, text, reason, now).await?;
        let quoted: String = text.chars().take(600).collect();
        let tried = match best {
            Some(h) => format!("knowledge base: {} (score {:.1})", h.title, h.score),
            None => "knowledge base: no section scored high enough".into(),
        };
        let card = Card {
            title: format!("Ticket #{} needs a person", t.id),
            body: format!("> {}", quoted.replace('\n', "\n> ")),
            fields: vec![
                Field { name: "Customer".into(), value: format!("{} ({} #{})", t.customer, t.platform.as_str(), t.channel) },
                Field {
                    name: "Account".into(),
                    value: match account {
                        Some(a) => format!("{}{}", a.account_id, if a.vip { " · VIP" } else { "" }),
                        None => "not linked to an account".into(),
                    },
                },
                Field { name: "Priority".into(), value: t.priority.clone().unwrap_or_else(|| "normal".into()) },
                Field { name: "Why".into(), value: reason.into() },
                Field { name: "Triage".into(), value: format!("{} ({:.2})", triage.tier, triage.confidence) },
                Field { name: "Tried".into(), value: tried },
                Field {
                    name: SUGGESTED.into(),
                    value: summary.as_ref().map_or_else(|| self.suggested_reply(best), |s| s.suggested_reply.clone()),
                },
            ],
            buttons: desk_buttons(t.id, TicketState::Escalated),
            footer: Some(
                "Reply in this thread to answer the customer (you take the ticket); the bot stays silent while a person owns it.".into(),
            ),
            ..Default::default()
        };
        let mut card = card;
        if let Some(s) = &summary {
            card.fields.insert(
                0,
                Field {
                    name: "Wants".into(),
                    value: s.wants.clone(),
                },
            );
            card.fields.insert(
                1,
                Field {
                    name: "Checked".into(),
                    value: s.checked.clone(),
                },
            );
        }
        Ok(Some(Outbound {
            thread_title: None,
            platform,
            channel,
            thread: None,
            op: OutboundOp::Post,
            reply: Reply::Card(card),
        }))
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
