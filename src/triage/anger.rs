//! Anger at the service is for a person ("charged again after i cancelled, this is ridiculous"),
//! and so is an ask to be phoned ("can someone call me back"). Such words are everyday talk too
//! ("this weather is ridiculous", "call me a cab"), so the `~` entries of `human_phrases` send to
//! a person only a message the other rules already read as support.

use super::{Triage, TriageReason, phrase::Phrases};
use crate::domain::Tier;

/// The `~` entries of `human_phrases`, parsed once.
pub(super) struct Anger(Phrases);

impl Anger {
    pub(super) fn new(human_phrases: &[String]) -> Self {
        Anger(Phrases::new(
            human_phrases.iter().filter_map(|p| p.strip_prefix('~')),
        ))
    }

    /// `t`, the decision for a message of `words`; a person instead when it is a support request
    /// (tier 1 or 2) with one of these phrases (said in anger, or asking for a call).
    pub(super) fn after(&self, t: Triage, words: &[String]) -> Triage {
        if !matches!(t.tier, Tier::Tier1 | Tier::Tier2) {
            return t;
        }
        match self.0.first(words) {
            Some(p) => Triage {
                tier: Tier::Human,
                confidence: 1.0,
                reason: TriageReason::Rule(format!("in a support request: {p}")),
            },
            None => t,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anger_sends_support_to_a_person_and_leaves_chatter_alone() {
        let anger = Anger::new(&["refund".into(), "~ridiculous".into()]);
        let words = crate::triage::features::words("charged again after i cancelled, ridiculous");
        let as_tier = |tier| Triage {
            tier,
            confidence: 0.7,
            reason: TriageReason::Model,
        };
        let t = anger.after(as_tier(Tier::Tier1), &words);
        assert_eq!(t.tier, Tier::Human);
        assert_eq!(
            t.reason,
            TriageReason::Rule("in a support request: ridiculous".into())
        );
        assert_eq!(anger.after(as_tier(Tier::None), &words).tier, Tier::None);
        let calm = crate::triage::features::words("where do i ask for a refund");
        assert_eq!(anger.after(as_tier(Tier::Tier1), &calm).tier, Tier::Tier1);
    }
}
