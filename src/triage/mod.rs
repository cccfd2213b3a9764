//! Offline triage: the trained model plus configured rules decide `none | tier1 | tier2 | human`
//! with a confidence. The shipped default model is compiled in, so it loads in milliseconds anywhere.

pub mod data;
pub mod embed;
pub mod eval;
pub mod features;
mod file;
pub mod labels;
mod maths;
pub mod mlp;
pub mod model;

use crate::domain::tier::TriageReason;
use crate::domain::{Tier, Triage};
pub use labels::LabelMode;
pub use model::{Model, ModelError, TrainParams};

/// The default model, trained from `config/triage/examples.jsonl` (see README: "Triage").
pub const DEFAULT_MODEL_JSON: &str = include_str!("../../config/triage/model.json");

/// Thresholds and rules from `[triage]` in the config.
#[derive(Debug, Clone)]
pub struct TriageRules {
    /// Below this top-class probability the classifier is "unsure" and the safer tier is taken.
    pub confidence_threshold: f64,
    /// When P(human) reaches this, the message goes to a person even if another tier is likelier.
    pub human_threshold: f64,
    /// Lower-cased phrases that always mean a person handles the message.
    pub human_phrases: Vec<String>,
    /// Least P(none) for calling a message chatter; below it the likeliest support tier is taken.
    pub none_threshold: f64,
}

pub struct Triager {
    model: Model,
    rules: TriageRules,
    phrases: Vec<Vec<String>>,
}

impl Triager {
    pub fn new(model: Model, rules: TriageRules) -> Triager {
        let phrases = rules
            .human_phrases
            .iter()
            .map(|p| features::words(p))
            .filter(|p| !p.is_empty())
            .collect();
        Triager {
            model,
            rules,
            phrases,
        }
    }

    pub fn default_model() -> Model {
        Model::from_json(DEFAULT_MODEL_JSON, "built-in model").expect("the built-in model is valid")
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The first configured phrase that occurs, as whole words, in the text.
    fn rule_match(&self, words: &[String]) -> Option<String> {
        self.phrases
            .iter()
            .find(|p| words.windows(p.len()).any(|w| w == p.as_slice()))
            .map(|p| p.join(" "))
    }

    pub fn triage(&self, text: &str) -> Triage {
        if let Some(p) = self.rule_match(&features::words(text)) {
            return Triage {
                tier: Tier::Human,
                confidence: 1.0,
                reason: TriageReason::Rule(p),
            };
        }
        let probs = self.model.predict(text);
        let mut ranked: Vec<(Tier, f64)> = self
            .model
            .classes
            .iter()
            .copied()
            .zip(probs.iter().map(|p| *p as f64))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        if ranked.len() > 1 && ranked[0].0 == Tier::None && ranked[0].1 < self.rules.none_threshold
        {
            // Not clearly chatter: support first, the support tiers' odds among themselves.
            let (_, p_none) = ranked.remove(0);
            let rest = (1.0 - p_none).max(f64::EPSILON);
            for (_, p) in &mut ranked {
                *p /= rest;
            }
        }
        let p_human = ranked
            .iter()
            .find(|(t, _)| *t == Tier::Human)
            .map_or(0.0, |(_, p)| *p);
        let (top, conf) = ranked[0];
        if top != Tier::Human && p_human >= self.rules.human_threshold {
            return Triage {
                tier: Tier::Human,
                confidence: p_human,
                reason: TriageReason::Model,
            };
        }
        if conf < self.rules.confidence_threshold && ranked.len() > 1 {
            // Unsure between the top two: take the one with more involvement, short of a person
            // (a person is `human_threshold`'s call, or the desk's when nothing grounded answers).
            let second = ranked[1].0;
            let safer = if second == Tier::Human {
                top
            } else {
                top.max(second)
            };
            return Triage {
                tier: safer,
                confidence: conf,
                reason: TriageReason::LowConfidence,
            };
        }
        Triage {
            tier: top,
            confidence: conf,
            reason: TriageReason::Model,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> TriageRules {
        TriageRules {
            confidence_threshold: 0.5,
            human_threshold: 0.6,
            human_phrases: vec!["money back".into(), "lawyer".into()],
            none_threshold: 0.5,
        }
    }

    #[test]
    fn phrases_match_whole_words_only() {
        let t = Triager::new(Triager::default_model(), rules());
        let r = t.triage("I want my MONEY back!");
        assert_eq!(
            (r.tier, r.reason),
            (Tier::Human, TriageReason::Rule("money back".into()))
        );
        assert_ne!(
            t.triage("my lawyers-are-great spreadsheet").reason,
            TriageReason::Rule("lawyer".into())
        );
    }

    #[test]
    fn default_model_separates_the_done_when_examples() {
        let t = Triager::new(Triager::default_model(), rules());
        assert_eq!(
            t.triage("anyone watching the game tonight?").tier,
            Tier::None
        );
        assert_eq!(t.triage("How do I reset my password?").tier, Tier::Tier1);
        assert_eq!(
            t.triage("The API returns 500 errors since this morning")
                .tier,
            Tier::Tier2
        );
    }
}
