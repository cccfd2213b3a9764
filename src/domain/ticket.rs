//! The ticket and its state machine: open → answered → resolved | escalated → claimed → resolved;
//! a new customer message reopens a resolved ticket.

use super::{Millis, Platform, Tier};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TicketState {
    Open,
    Answered,
    Escalated,
    Claimed,
    Resolved,
}

impl TicketState {
    pub const ALL: [TicketState; 5] = [
        TicketState::Open,
        TicketState::Answered,
        TicketState::Escalated,
        TicketState::Claimed,
        TicketState::Resolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TicketState::Open => "open",
            TicketState::Answered => "answered",
            TicketState::Escalated => "escalated",
            TicketState::Claimed => "claimed",
            TicketState::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<TicketState> {
        TicketState::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Whether a person owns (or is about to own) the ticket, so the bot must stay silent in it.
    pub fn human_owned(self) -> bool {
        matches!(self, TicketState::Escalated | TicketState::Claimed)
    }
}

impl fmt::Display for TicketState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A transition that is not allowed from the ticket's current state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ticket #{id} is {from}; it cannot be {verb}")]
pub struct InvalidTransition {
    pub id: i64,
    pub from: TicketState,
    pub verb: &'static str,
}

/// A support conversation, keyed by (platform, channel, thread).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: i64,
    pub platform: Platform,
    pub channel: String,
    pub thread: String,
    pub customer: String,
    pub state: TicketState,
    pub tier: Option<Tier>,
    pub confidence: Option<f64>,
    pub subject: String,
    /// Bot answers since the customer last said it was solved; three unhelpful turns escalate.
    pub bot_turns: i64,
    pub opened_at: Millis,
    pub first_response_at: Option<Millis>,
    pub resolved_at: Option<Millis>,
    pub updated_at: Millis,
    pub claimed_by: Option<String>,
    /// When it first went to a person, and when a person first answered the customer.
    pub escalated_at: Option<Millis>,
    pub human_response_at: Option<Millis>,
    /// The customer's rating after resolution, 1 (bad) to 5 (good).
    pub csat: Option<i64>,
    /// How soon a person must answer once it is escalated (`urgent`, `high`, `normal`).
    pub priority: Option<String>,
    /// First-response SLA notices sent: 0 none, 1 reminder, 2 breach.
    pub sla_stage: i64,
    /// The offline classifier's opinion and, when it was unsure and an LLM is configured, the model's.
    pub triage_offline: Option<super::Triage>,
    pub triage_llm: Option<super::Triage>,
    /// The version of the prompts the bot last answered this ticket with.
    pub prompt_version: Option<String>,
    /// Optimistic-concurrency version: every committed change bumps it.
    pub version: i64,
}

impl Ticket {
    /// The tier a resolved ticket teaches triage (`opsdesk triage export`): a person's when one
    /// handled it (escalated, claimed or answered by a person), otherwise the tier the bot answered
    /// it as; nothing for a ticket still open or one the bot resolved with no support tier.
    pub fn learned_tier(&self) -> Option<Tier> {
        if self.state != TicketState::Resolved {
            return None;
        }
        if self.escalated_at.is_some()
            || self.claimed_by.is_some()
            || self.human_response_at.is_some()
        {
            return Some(Tier::Human);
        }
        self.tier.filter(|t| matches!(t, Tier::Tier1 | Tier::Tier2))
    }

    /// A new ticket for a thread (not stored until a commit with `opens_ticket` inserts it).
    pub fn open(
        id: i64,
        key: &super::ports::ThreadKey<'_>,
        customer: &str,
        subject: &str,
        now: Millis,
    ) -> Ticket {
        Ticket {
            id,
            platform: key.platform,
            channel: key.channel.to_string(),
            thread: key.thread.to_string(),
            customer: customer.to_string(),
            state: TicketState::Open,
            tier: None,
            confidence: None,
            subject: subject.to_string(),
            bot_turns: 0,
            opened_at: now,
            first_response_at: None,
            resolved_at: None,
            updated_at: now,
            claimed_by: None,
            escalated_at: None,
            human_response_at: None,
            csat: None,
            priority: None,
            sla_stage: 0,
            triage_offline: None,
            triage_llm: None,
            prompt_version: None,
            version: 0,
        }
    }

    fn go(
        &mut self,
        to: TicketState,
        allowed: &[TicketState],
        verb: &'static str,
        now: Millis,
    ) -> Result<(), InvalidTransition> {
        if !allowed.contains(&self.state) {
            return Err(InvalidTransition {
                id: self.id,
                from: self.state,
                verb,
            });
        }
        self.state = to;
        self.updated_at = now;
        Ok(())
    }

    /// The bot answered (tier 1 or 2).
    pub fn answer(&mut self, tier: Tier, now: Millis) -> Result<(), InvalidTransition> {
        self.go(
            TicketState::Answered,
            &[TicketState::Open, TicketState::Answered],
            "answered",
            now,
        )?;
        self.tier = Some(tier);
        self.bot_turns += 1;
        self.first_response_at.get_or_insert(now);
        Ok(())
    }

    /// Handed to a person.
    pub fn escalate(&mut self, now: Millis) -> Result<(), InvalidTransition> {
        self.go(
            TicketState::Escalated,
            &[TicketState::Open, TicketState::Answered],
            "escalated",
            now,
        )?;
        self.tier = Some(Tier::Human);
        self.escalated_at.get_or_insert(now);
        Ok(())
    }

    /// A person took ownership.
    pub fn claim(&mut self, by: &str, now: Millis) -> Result<(), InvalidTransition> {
        self.go(
            TicketState::Claimed,
            &[TicketState::Escalated],
            "claimed",
            now,
        )?;
        self.claimed_by = Some(by.to_string());
        Ok(())
    }

    /// Solved, by the customer's click or a person.
    pub fn resolve(&mut self, now: Millis) -> Result<(), InvalidTransition> {
        self.go(
            TicketState::Resolved,
            &[
                TicketState::Open,
                TicketState::Answered,
                TicketState::Escalated,
                TicketState::Claimed,
            ],
            "resolved",
            now,
        )?;
        self.resolved_at = Some(now);
        self.bot_turns = 0;
        Ok(())
    }

    /// A person gives the ticket back to the bot.
    pub fn hand_back(&mut self, now: Millis) -> Result<(), InvalidTransition> {
        self.go(
            TicketState::Open,
            &[TicketState::Escalated, TicketState::Claimed],
            "handed back",
            now,
        )?;
        self.claimed_by = None;
        self.bot_turns = 0;
        Ok(())
    }

    /// A person wrote to the customer: they own the ticket from now on, whatever state it was in.
    pub fn human_reply(&mut self, by: &str, now: Millis) {
        if self.state == TicketState::Resolved {
            self.reopen(now).expect("resolved tickets reopen");
        }
        if matches!(self.state, TicketState::Open | TicketState::Answered) {
            self.escalate(now).expect("open tickets escalate");
        }
        if self.state == TicketState::Escalated {
            self.claim(by, now)
                .expect("escalated tickets can be claimed");
        }
        self.human_response_at.get_or_insert(now);
        self.first_response_at.get_or_insert(now);
        self.updated_at = now;
    }

    /// The customer's rating (clamped to 1..=5); the last one counts.
    pub fn rate(&mut self, score: i64, now: Millis) {
        self.csat = Some(score.clamp(1, 5));
        self.updated_at = now;
    }

    /// A new customer message on a resolved ticket opens it again.
    pub fn reopen(&mut self, now: Millis) -> Result<(), InvalidTransition> {
        self.go(TicketState::Open, &[TicketState::Resolved], "reopened", now)?;
        self.resolved_at = None;
        self.claimed_by = None;
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn ticket(state: TicketState) -> Ticket {
        let key = crate::domain::ports::ThreadKey {
            platform: Platform::Console,
            channel: "c",
            thread: "t",
        };
        Ticket {
            state,
            ..Ticket::open(1, &key, "u", "s", 0)
        }
    }

    #[test]
    fn a_resolved_ticket_teaches_the_tier_it_ended_with() {
        let mut t = ticket(TicketState::Resolved);
        assert_eq!(t.learned_tier(), None, "no tier known");
        t.tier = Some(Tier::Tier2);
        assert_eq!(t.learned_tier(), Some(Tier::Tier2));
        t.claimed_by = Some("ana".into());
        assert_eq!(t.learned_tier(), Some(Tier::Human));
        t.state = TicketState::Claimed;
        assert_eq!(t.learned_tier(), None, "not resolved yet");
    }

    #[test]
    fn answer_records_first_response_once() {
        let mut t = ticket(TicketState::Open);
        t.answer(Tier::Tier1, 10).unwrap();
        t.answer(Tier::Tier1, 20).unwrap();
        assert_eq!(t.first_response_at, Some(10));
        assert_eq!(t.bot_turns, 2);
        assert_eq!(t.state, TicketState::Answered);
    }

    #[test]
    fn escalated_flow_claims_then_resolves() {
        let mut t = ticket(TicketState::Answered);
        t.escalate(5).unwrap();
        assert!(t.state.human_owned());
        assert!(
            t.answer(Tier::Tier1, 6).is_err(),
            "bot must not answer a human-owned ticket"
        );
        t.claim("alice", 7).unwrap();
        assert_eq!(t.claimed_by.as_deref(), Some("alice"));
        t.resolve(8).unwrap();
        assert_eq!(t.resolved_at, Some(8));
    }

    #[test]
    fn claim_requires_escalation_and_reopen_requires_resolution() {
        let mut t = ticket(TicketState::Open);
        let err = t.claim("bob", 1).unwrap_err();
        assert_eq!(err.to_string(), "ticket #1 is open; it cannot be claimed");
        assert!(t.reopen(1).is_err());
        t.resolve(2).unwrap();
        t.reopen(3).unwrap();
        assert_eq!(t.state, TicketState::Open);
        assert_eq!(t.resolved_at, None);
    }
}
