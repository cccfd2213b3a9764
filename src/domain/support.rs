//! The support desk's decisions: given a ticket, a triaged message and what the knowledge base found,
//! decide to stay silent, answer or escalate, and apply the ticket transition. Pure: no I/O, `now` given.

use super::{Millis, Ticket, TicketState, Tier, Triage};

/// Settings the desk decides with (from config and the customer record).
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Bot answers in a row without "Solved" after which the next message goes to a person.
    pub unhelpful_turns: i64,
}

/// Facts about the message being handled.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming<'a> {
    pub text: &'a str,
    pub mentioned: bool,
    pub vip: bool,
    pub triage: &'a Triage,
    /// Whether the knowledge base holds a section that clears the score threshold for this message.
    pub grounded: bool,
    /// An LLM agent decided `grounded` (its answer), not the offline answer bar.
    pub agent_asked: bool,
}

/// Configured phrases (in `triage.human_phrases`) that are an explicit ask for a person.
const ASK_FOR_PERSON: &[&str] = &[
    "talk to a human",
    "speak to a human",
    "real person",
    "talk to someone",
    "speak to a manager",
    "talk to a person",
    "speak to someone",
    "call with someone",
    "call with you",
    "call with your team",
    "hop on a call",
    "jump on a call",
    "get on a call",
    "a quick call",
    "contact me",
    "talk with a human",
    "speak with a human",
    "talk with someone",
    "speak with someone",
    "talk with a person",
    "speak with a person",
    "real human",
    "live agent",
    "human agent",
    "an actual person",
    "talk to an agent",
    "speak to an agent",
    "talk with an agent",
    "speak with an agent",
    "talk to a representative",
    "speak to a representative",
    "speak with a representative",
    "talk to ... customer service",
    "talk with ... customer service",
    "speak to ... customer service",
    "speak with ... customer service",
    "contact customer service",
    "reach customer service",
    "talk to ... customer support",
    "talk with ... customer support",
    "speak to ... customer support",
    "speak with ... customer support",
    "contact customer support",
    "reach customer support",
    "talk to support",
    "speak to support",
    "talk to your support",
    "speak to your support",
];

/// Words that, in a support request, mean the customer is fed up.
const FRUSTRATED: &[&str] = &[
    "useless",
    "ridiculous",
    "unacceptable",
    "terrible",
    "awful",
    "worst",
    "wtf",
    "fed up",
    "sick of",
    "frustrated",
    "frustrating",
    "furious",
    "angry",
    "pathetic",
    "joke",
    "disgusting",
    "waste of time",
    "still broken",
    "still not",
    "third time",
    "again and again",
    "nobody answers",
    "no one answers",
];

/// Phrases by which a customer says they are waiting on the team, not asking the docs: a ticket
/// they opened, a reply they have not had ("any update on my ticket?" shares "update" with *Update
/// your credit card*, and a quote of it is wrong).
const WAITING_ON_THE_TEAM: &[&str] = &[
    "my ticket",
    "our ticket",
    "ticket number",
    "the ticket i",
    "the ticket we",
    "heard back",
    "hear back",
    "heard nothing",
    "no reply",
    "no answer",
    "no response from",
    "any update on my",
    "any update on our",
    "any update on the ticket",
    "waiting on a reply",
    "waiting for a reply",
    "waiting on an answer",
    "waiting for an answer",
    "waiting to hear",
];

/// Whether the customer is following up on the team rather than asking something new.
pub fn waiting_on_the_team(text: &str) -> bool {
    super::phrases::any_in(&super::phrases::words(text), WAITING_ON_THE_TEAM)
}

/// Whether a message reads as frustrated: a telling phrase, or shouting (mostly capitals, or `!!`).
pub fn frustrated(text: &str) -> bool {
    let phrase = super::phrases::any_in(&super::phrases::words(text), FRUSTRATED);
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    let caps = letters.len() >= 12
        && letters.iter().filter(|c| c.is_uppercase()).count() * 10 >= letters.len() * 7;
    phrase || caps || text.contains("!!") || text.contains("?!")
}

/// Why a ticket went to a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EscalationReason {
    Triage(String),
    Vip,
    NotGrounded,
    /// The LLM agent escalated, or its answer cited no section it was given.
    AgentNotGrounded,
    /// Something is broken and no grounded answer exists: a person investigates.
    Incident,
    Unhelpful(i64),
    CustomerAsked,
    /// The customer is following up on a ticket or a reply they are waiting for.
    FollowUp,
    Frustrated,
}

impl EscalationReason {
    /// Whether the question is a knowledge gap: the docs had nothing to quote for it.
    pub fn is_gap(&self) -> bool {
        matches!(
            self,
            EscalationReason::NotGrounded | EscalationReason::AgentNotGrounded
        )
    }

    pub fn describe(&self) -> String {
        match self {
            EscalationReason::Triage(why) => format!("triaged as human ({why})"),
            EscalationReason::Vip => "VIP customer".into(),
            EscalationReason::NotGrounded => {
                "no knowledge-base section answers it clearly enough to quote".into()
            }
            EscalationReason::AgentNotGrounded => {
                "the LLM agent escalated it, or its answer cited no section it was given".into()
            }
            EscalationReason::Incident => {
                "reports something broken; nothing known answers it".into()
            }
            EscalationReason::Unhelpful(n) => format!("{n} bot answers did not solve it"),
            EscalationReason::CustomerAsked => "the customer asked for a person".into(),
            EscalationReason::FollowUp => "the customer is waiting on the team".into(),
            EscalationReason::Frustrated => "the customer sounds frustrated".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Silence {
    NotSupport,
    HumanOwned,
}

/// What the desk decided for one customer message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Silent(Silence),
    Answer(Tier),
    Escalate(EscalationReason),
}

/// Decides what to do with a customer message and moves the ticket accordingly.
pub fn on_customer_message(
    ticket: &mut Ticket,
    msg: &Incoming<'_>,
    policy: &Policy,
    now: Millis,
) -> Action {
    if ticket.state.human_owned() {
        ticket.updated_at = now;
        return Action::Silent(Silence::HumanOwned);
    }
    let was_resolved = ticket.state == TicketState::Resolved;
    let mut tier = msg.triage.tier;
    if tier == Tier::None {
        if !msg.mentioned {
            // Chit-chat ("thanks!") never reopens or answers anything.
            ticket.updated_at = now;
            return Action::Silent(Silence::NotSupport);
        }
        tier = Tier::Tier1;
    }
    if was_resolved {
        ticket.reopen(now).expect("resolved tickets reopen");
    }
    if ticket.tier.is_none() {
        ticket.tier = Some(tier);
        ticket.confidence = Some(msg.triage.confidence);
    }
    let reason = if msg.vip {
        Some(EscalationReason::Vip)
    } else if tier == Tier::Human
        && matches!(&msg.triage.reason, super::tier::TriageReason::Rule(p) if ASK_FOR_PERSON.contains(&p.as_str()))
    {
        Some(EscalationReason::CustomerAsked)
    } else if tier == Tier::Human {
        Some(EscalationReason::Triage(match &msg.triage.reason {
            super::tier::TriageReason::Rule(p) => format!("matched \"{p}\""),
            super::tier::TriageReason::Model => format!("confidence {:.2}", msg.triage.confidence),
            super::tier::TriageReason::LowConfidence => "classifier unsure".into(),
            super::tier::TriageReason::Llm(why) => format!("the LLM: {why}"),
            super::tier::TriageReason::Spam(why) => format!("spam: {why}"),
        }))
    } else if frustrated(msg.text) {
        Some(EscalationReason::Frustrated)
    } else if waiting_on_the_team(msg.text) {
        Some(EscalationReason::FollowUp)
    } else if ticket.bot_turns >= policy.unhelpful_turns {
        Some(EscalationReason::Unhelpful(ticket.bot_turns))
    } else if !msg.grounded && tier == Tier::Tier2 {
        Some(EscalationReason::Incident)
    } else if !msg.grounded && msg.agent_asked {
        Some(EscalationReason::AgentNotGrounded)
    } else if !msg.grounded {
        Some(EscalationReason::NotGrounded)
    } else {
        None
    };
    match reason {
        Some(r) => {
            ticket
                .escalate(now)
                .expect("open or answered tickets escalate");
            ticket
                .priority
                .get_or_insert_with(|| super::sla::priority_for(&r).to_string());
            Action::Escalate(r)
        }
        None => {
            ticket
                .answer(tier, now)
                .expect("open or answered tickets take answers");
            Action::Answer(tier)
        }
    }
}

/// What a customer-facing button asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerButton {
    Solved,
    Human,
}

/// The result of a click on an answer's buttons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClickOutcome {
    Resolved,
    Escalated,
    /// Already in the requested state (a double click): nothing changes.
    AlreadyDone(TicketState),
    /// Only the customer who asked may press these buttons.
    NotYours,
}

/// Applies a customer's click on "Solved" / "Talk to a human".
pub fn on_customer_click(
    ticket: &mut Ticket,
    button: CustomerButton,
    clicker: &str,
    now: Millis,
) -> ClickOutcome {
    if clicker != ticket.customer {
        return ClickOutcome::NotYours;
    }
    match button {
        CustomerButton::Solved => match ticket.resolve(now) {
            Ok(()) if ticket.state == TicketState::Resolved => ClickOutcome::Resolved,
            _ => ClickOutcome::AlreadyDone(ticket.state),
        },
        CustomerButton::Human => {
            if ticket.state.human_owned() {
                return ClickOutcome::AlreadyDone(ticket.state);
            }
            if ticket.state == TicketState::Resolved {
                ticket.reopen(now).expect("resolved tickets reopen");
            }
            ticket.escalate(now).expect("open tickets escalate");
            ticket.priority.get_or_insert_with(|| "normal".to_string());
            ClickOutcome::Escalated
        }
    }
}

#[cfg(test)]
#[path = "support_tests.rs"]
mod tests;
