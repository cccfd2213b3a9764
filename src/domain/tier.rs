//! Triage tiers and the result of triaging one message.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How a customer message is handled, in increasing order of human involvement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Not a support request: stay silent.
    None,
    /// How-to, account and billing questions answered from the knowledge base.
    Tier1,
    /// Something is broken: troubleshooting.
    Tier2,
    /// Disputes, refunds, legal, angry customers: a person handles it.
    Human,
}

impl Tier {
    pub const ALL: [Tier; 4] = [Tier::None, Tier::Tier1, Tier::Tier2, Tier::Human];

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::None => "none",
            Tier::Tier1 => "tier1",
            Tier::Tier2 => "tier2",
            Tier::Human => "human",
        }
    }

    pub fn parse(s: &str) -> Option<Tier> {
        match s.trim() {
            "none" => Some(Tier::None),
            "tier1" => Some(Tier::Tier1),
            "tier2" => Some(Tier::Tier2),
            "human" => Some(Tier::Human),
            _ => None,
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why triage chose its tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "detail")]
pub enum TriageReason {
    /// The classifier was confident.
    Model,
    /// A configured phrase forces the tier (a person; a problem report in another language; praise
    /// alone, chatter).
    Rule(String),
    /// The classifier was unsure; the safer of its top two tiers was taken, or tier 1 when torn
    /// between tiers 1 and 2 by a story around a how-to question the model reads as tier 1 alone.
    LowConfidence,
    /// The classifier was unsure and the LLM decided, for this reason.
    Llm(String),
    /// Spam or promotion (what gave it away): no ticket, no reply, counted.
    Spam(String),
}

/// The outcome of triaging one message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Triage {
    pub tier: Tier,
    pub confidence: f64,
    pub reason: TriageReason,
}
