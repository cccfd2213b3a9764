//! Handing a ticket to a person: the card in the team's escalation channel (customer, account,
//! priority, why, what was tried, a suggested reply), with the summary agent's reading when configured.

use super::Pipeline;
use super::desk::{SUGGESTED, desk_buttons};
use crate::domain::ports::{Customer, KbHit, Outbound, OutboundOp, StoreError};
use crate::domain::{Card, ChannelRole, Field, Millis, Reply, Ticket, TicketState, Triage};
use crate::llm::summary::{self, Summary};
use minijinja::context;

/// What the card says about the ticket beyond its text.
pub(super) struct Escalation<'a> {
    pub reason: &'a str,
    /// Related knowledge-base sections (none of them the answer), best first.
    pub candidates: &'a [KbHit],
    /// For a problem report handled offline: the alerts and known issues checked.
    pub checked: Option<&'a super::tier2::Checked>,
    pub triage: &'a Triage,
    pub account: Option<&'a Customer>,
}

impl Escalation<'_> {
    /// The related sections offered to the customer as pages that may help (never as the answer):
    /// for a problem report, the same unless a matching alert is firing (the team is on it; docs
    /// are no help with an outage), and without the known issues already named.
    pub fn offered(&self) -> Vec<&KbHit> {
        match self.checked {
            Some(c) if !c.alerts.is_empty() => vec![],
            Some(c) => self
                .candidates
                .iter()
                .filter(|h| !c.known.iter().any(|k| k.id == h.id))
                .collect(),
            None => self.candidates.iter().collect(),
        }
    }
}

impl Pipeline {
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
                self.record_failed_llm("summary", &agent.settings, &e, Some(t.id), now)
                    .await?;
                Ok(None)
            }
        }
    }

    /// The card people see in the escalation channel of the ticket's platform (with the summary agent's
    /// reading of the conversation when one is configured); `None` when no escalation channel exists.
    pub(super) async fn escalation_card(
        &self,
        t: &Ticket,
        text: &str,
        e: &Escalation<'_>,
        now: Millis,
    ) -> Result<Option<Outbound>, StoreError> {
        let Some((platform, channel)) = self.escalation_place(t) else {
            return Ok(None);
        };
        let summary = self.escalation_summary(t, text, e.reason, now).await?;
        let suggested = summary.as_ref().map_or_else(
            || self.suggested_reply(text, e.candidates.first()),
            |s| s.suggested_reply.clone(),
        );
        let mut card = Card {
            title: format!("Ticket #{} needs a person", t.id),
            body: format!(
                "> {}",
                text.chars()
                    .take(600)
                    .collect::<String>()
                    .replace('\n', "\n> ")
            ),
            fields: fields(t, e, suggested),
            buttons: desk_buttons(t.id, TicketState::Escalated),
            footer: Some(
                "Reply in this thread to answer the customer (you take the ticket); the bot stays \
                 silent while a person owns it."
                    .into(),
            ),
            ..Default::default()
        };
        if let Some(s) = summary {
            card.fields.insert(0, field("Wants", s.wants));
            card.fields.insert(1, field("Checked", s.checked));
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

    /// The team's escalation channel on the customer's platform, or on any platform (customers on
    /// Discord, team on Slack).
    pub(super) fn escalation_place(&self, t: &Ticket) -> Option<(crate::domain::Platform, String)> {
        match self
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
        }
    }
}

fn field(name: &str, value: impl Into<String>) -> Field {
    Field {
        name: name.into(),
        value: value.into(),
    }
}

/// The card's facts: who, which account, how urgent, why, how triage read it, what was tried.
fn fields(t: &Ticket, e: &Escalation<'_>, suggested: String) -> Vec<Field> {
    let account = match e.account {
        Some(a) => format!("{}{}", a.account_id, if a.vip { " · VIP" } else { "" }),
        None => "not linked to an account".into(),
    };
    let mut tried = if e.candidates.is_empty() {
        "knowledge base: no related section".to_string()
    } else {
        let pages: Vec<String> = e
            .candidates
            .iter()
            .map(|h| format!("{} <{}>", h.title, h.link))
            .collect();
        format!("knowledge base, none sure to answer: {}", pages.join(" · "))
    };
    if let Some(c) = e.checked {
        tried = format!("{}; {tried}", c.describe());
    }
    vec![
        field(
            "Customer",
            format!("{} ({} #{})", t.customer, t.platform.as_str(), t.channel),
        ),
        field("Account", account),
        field("Priority", t.priority.as_deref().unwrap_or("normal")),
        field("Why", e.reason),
        field(
            "Triage",
            format!("{} ({:.2})", e.triage.tier, e.triage.confidence),
        ),
        field("Tried", tried),
        field(SUGGESTED, suggested),
    ]
}
