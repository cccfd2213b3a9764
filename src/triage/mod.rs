//! Offline triage: the trained model plus configured rules decide `none | tier1 | tier2 | human`
//! with a confidence. The shipped default model is compiled in, so it loads in milliseconds anywhere.

mod address;
mod anger;
mod asks;
pub mod data;
pub mod eval;
pub mod features;
mod file;
pub mod labels;
pub mod language;
mod maths;
pub mod mlp;
pub mod model;
mod phrase;
mod praise;
pub mod product;
mod product_name;
mod quant;
mod reaction;
pub mod related;
pub mod spam;

use crate::domain::tier::TriageReason;
use crate::domain::{Tier, Triage};
pub use labels::LabelMode;
pub use model::{Model, ModelError, TrainParams};

/// The default model, trained from `config/triage/examples.jsonl` (see docs/triage.md).
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
    /// The least P(none) instead, for a message that shares little with the docs: fewer than
    /// `related_share` of its content words are words the knowledge base's pages use.
    pub unrelated_none_threshold: f64,
    /// From this P(none), a weak support phrase (a `~` entry of `support_phrases`: "help") is no
    /// signal: "help me plan a birthday party" is chatter, "help" and "can someone help?" are not.
    pub sure_none_threshold: f64,
    /// The share of a message's content words the docs use from which it talks about the product.
    pub related_share: f64,
    /// Lower-cased phrases that make a message a support request whatever the model says.
    pub support_phrases: Vec<String>,
    /// Lower-cased phrases that make a message in another language (`language::other_language`) a
    /// problem report: the model reads English, so its tier for such a message is a guess.
    pub other_language_problems: Vec<String>,
    /// Lower-cased phrases that make a message in another language a question or a request ("I
    /// would like…"), as a question mark does; one that asks nothing reports a problem.
    pub other_language_questions: Vec<String>,
    /// Lower-cased phrases of praise ("great job", "kudos") that make a message chatter when it asks,
    /// objects to and reports nothing (`praise::only_praise`).
    pub praise_phrases: Vec<String>,
    /// What makes a message spam (`none`, logged and counted) whatever the model says.
    pub spam: spam::SpamRules,
}

pub struct Triager {
    model: std::sync::Arc<Model>,
    rules: TriageRules,
    phrases: phrase::Phrases,
    support: phrase::Phrases,
    /// Everyday senses of support phrases (`support_phrases` entries starting with `!`).
    not_support: phrase::Phrases,
    /// Everyday senses of human phrases (`human_phrases` entries starting with `!`).
    not_human: phrase::Phrases,
    /// Support phrases that count only while the model is not sure of chatter (`~` entries).
    weak_support: phrase::Phrases,
    problems: phrase::Phrases,
    questions: phrase::Phrases,
    praise: phrase::Phrases,
    spam: spam::Promotion,
    anger: anger::Anger,
    /// Words by which a story says something failed (`asks.rs`), parsed once.
    failing: phrase::Phrases,
    /// Those and the words of a symptom (`asks::SYMPTOMS`): what a how-to question never says.
    symptoms: phrase::Phrases,
    docs: Option<std::sync::Arc<related::DocWords>>,
}

impl Triager {
    pub fn new(model: Model, rules: TriageRules) -> Triager {
        Triager::shared(std::sync::Arc::new(model), rules)
    }

    /// The same model under other rules (`triage eval --sweep`).
    pub fn with_rules(&self, rules: TriageRules) -> Triager {
        Triager {
            docs: self.docs.clone(),
            ..Triager::shared(self.model.clone(), rules)
        }
    }

    /// Reads how much each message shares with these knowledge-base pages (`related::DocWords`);
    /// fewer than five pages say too little, and every message is then held to `none_threshold`.
    pub fn with_docs(mut self, pages: &[String]) -> Triager {
        self.docs = related::DocWords::new(pages).map(std::sync::Arc::new);
        self
    }

    pub fn rules(&self) -> &TriageRules {
        &self.rules
    }

    fn shared(model: std::sync::Arc<Model>, rules: TriageRules) -> Triager {
        Triager {
            phrases: phrase::Phrases::new(
                (rules.human_phrases.iter()).filter(|p| !p.starts_with(['~', '!'])),
            ),
            not_human: phrase::Phrases::new(
                (rules.human_phrases.iter()).filter_map(|p| p.strip_prefix('!')),
            ),
            anger: anger::Anger::new(&rules.human_phrases),
            support: phrase::Phrases::new(
                rules
                    .support_phrases
                    .iter()
                    .filter(|p| !p.starts_with(['!', '~'])),
            ),
            weak_support: phrase::Phrases::new(
                rules
                    .support_phrases
                    .iter()
                    .filter_map(|p| p.strip_prefix('~')),
            ),
            not_support: phrase::Phrases::new(
                rules
                    .support_phrases
                    .iter()
                    .filter_map(|p| p.strip_prefix('!')),
            ),
            problems: phrase::Phrases::new(&rules.other_language_problems),
            questions: phrase::Phrases::new(&rules.other_language_questions),
            praise: phrase::Phrases::new(&rules.praise_phrases),
            spam: spam::Promotion::new(&rules.spam.phrases),
            failing: phrase::Phrases::new(asks::FAILING),
            symptoms: phrase::Phrases::new(asks::FAILING.iter().chain(asks::SYMPTOMS)),
            docs: None,
            model,
            rules,
        }
    }

    pub fn default_model() -> Model {
        Model::from_json(DEFAULT_MODEL_JSON, "built-in model").expect("the built-in model is valid")
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The first human phrase in `words`, unless it is the text of an HTTP error status quoted
    /// from a response ("401 Unauthorized" is a problem report, not an unauthorised charge) or
    /// part of an everyday sense of it ("tweet a complaint to sony", `!` entries).
    fn rule_match(&self, words: &[String]) -> Option<String> {
        self.phrases.find(words, |i| {
            (i == 0 || !matches!(words[i - 1].parse::<u16>(), Ok(400..=599)))
                && !self.not_human.covers(words, i)
        })
    }

    /// Whether the message must be treated as support: a support phrase; a sentence (five words or
    /// more) plainly in another language, whose `none` the English model can only guess
    /// (`language::other_language`; a greeting is left to the model); or mostly words the model
    /// never learned, in a message without an English function word, unless two thirds of its
    /// words are English words or known (jargon alone). English chatter on a topic the model never
    /// met ("begin vacuum cleaning", "define flabbergasted") is left to the model.
    /// `phrase` says whether a support phrase occurs in it, `foreign` what
    /// `language::other_language` says of it (both found once, by `decide`).
    fn surely_support(&self, words: &[String], phrase: bool, foreign: bool) -> bool {
        if phrase {
            return true;
        }
        let lettered: Vec<&String> = words
            .iter()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .collect();
        if lettered.len() >= 5 && foreign {
            return true;
        }
        let known = lettered.iter().filter(|w| self.model.knows_word(w)).count();
        let english = lettered
            .iter()
            .any(|w| language::ENGLISH.contains(&w.as_str()));
        if lettered.is_empty() || known * 2 >= lettered.len() || english {
            return false;
        }
        // Words the model never learned may be English on a topic it never met: chatter is then
        // the model's call when two thirds of the words are English or known. Other languages
        // share short words with English ("Salve, vorrei sapere come collegare il nostro account
        // a Google Drive" has "salve", "come", "a", "drive": 0.55), rarely two thirds.
        let readable = lettered
            .iter()
            .filter(|w| self.model.knows_word(w) || language::english_word(w))
            .count();
        readable * 3 < lettered.len() * 2
    }

    /// Why a message plainly in another language (`language::other_language`) is a problem
    /// report: one of the problem phrases, or it asks nothing — no question mark and none of the
    /// question phrases — as a customer writing in to say what broke does.
    fn other_language_problem(
        &self,
        text: &str,
        words: &[String],
        foreign: bool,
    ) -> Option<String> {
        if !foreign {
            return None;
        }
        if let Some(p) = self.problems.first(words) {
            return Some(p);
        }
        let asks = text.contains(['?', '？']) || self.questions.first(words).is_some();
        (!asks).then(|| "asks nothing, in another language".to_string())
    }

    /// The decision for `text`, its misspelt words read as the docs' own once for both steps.
    pub fn triage(&self, text: &str) -> Triage {
        let text = &*self.spelt(text);
        self.decide_spelt(text, &self.probs_spelt(text))
    }

    /// The model's class probabilities for `text`, its misspelt words read as the docs' own.
    pub fn probs(&self, text: &str) -> Vec<f32> {
        self.probs_spelt(&self.spelt(text))
    }

    /// [`Triager::probs`] of a text already spelt. A message without a letter ("+1", "👍", "2")
    /// says nothing the model can read: it gets the odds of an empty message, as emoji alone do.
    fn probs_spelt(&self, text: &str) -> Vec<f32> {
        if text.chars().any(char::is_alphabetic) {
            self.model.predict(text)
        } else {
            self.model.predict("")
        }
    }

    /// The first support phrase in `words` that is not part of an everyday sense of it ("down" in
    /// "turn the volume down", `!`-entries of `support_phrases`).
    fn support_phrase(&self, words: &[String]) -> Option<String> {
        self.in_its_sense(&self.support, words)
    }

    /// The first of `set` in `words` outside the everyday senses of `not_support`.
    fn in_its_sense(&self, set: &phrase::Phrases, words: &[String]) -> Option<String> {
        set.find(words, |i| !self.not_support.covers(words, i))
    }

    /// The decision for `text` given the model's class probabilities for it (`Model::predict`).
    pub fn decide(&self, text: &str, probs: &[f32]) -> Triage {
        self.decide_spelt(&self.spelt(text), probs)
    }

    /// [`Triager::decide`] for a text already spelt.
    fn decide_spelt(&self, text: &str, probs: &[f32]) -> Triage {
        let words = features::words(text);
        self.anger
            .after(self.support_or_not(text, &words, probs), &words)
    }

    /// The decision before anger is read.
    fn support_or_not(&self, text: &str, words: &[String], probs: &[f32]) -> Triage {
        let p_none = (self.model.classes.iter())
            .position(|t| *t == Tier::None)
            .and_then(|i| probs.get(i))
            .map_or(0.0, |p| *p as f64);
        let support = self.reads_as_support(text, words, p_none);
        if let Some(why) = spam::signal(text, words, &self.rules.spam, &self.spam, support) {
            return Triage {
                tier: Tier::None,
                confidence: 1.0,
                reason: TriageReason::Spam(why),
            };
        }
        if let Some(p) = self.rule_match(words) {
            return Triage {
                tier: Tier::Human,
                confidence: 1.0,
                reason: TriageReason::Rule(p),
            };
        }
        let praise = praise::only_praise(text, words, &self.praise)
            .filter(|_| self.problems.first(words).is_none());
        if let Some(p) = praise {
            return Triage {
                tier: Tier::None,
                confidence: 1.0,
                reason: TriageReason::Rule(format!("praise: {p}")),
            };
        }
        if let Some(r) = reaction::only_reaction(text, words).filter(|_| !support) {
            return Triage {
                tier: Tier::None,
                confidence: 1.0,
                reason: TriageReason::Rule(format!("a reaction: {r}")),
            };
        }
        // Language detection runs only for messages no rule above has decided, and once.
        let foreign = language::other_language(text, words);
        let problem = self.other_language_problem(text, words, foreign);
        let mut ranked: Vec<(Tier, f64)> = self
            .model
            .classes
            .iter()
            .copied()
            .zip(probs.iter().map(|p| *p as f64))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        let p_human = ranked
            .iter()
            .find(|(t, _)| *t == Tier::Human)
            .map_or(0.0, |(_, p)| *p);
        // A person is `human_threshold`'s call on the model's own odds, however the others rank.
        if p_human < self.rules.human_threshold {
            ranked.retain(|(t, _)| *t != Tier::Human);
        }
        if ranked.len() > 1
            && ranked[0].0 == Tier::None
            && (ranked[0].1 < self.none_threshold(text)
                || problem.is_some()
                || self.surely_support(words, support, foreign))
        {
            // Not clearly chatter: support first, the likelier of the support tiers.
            drop_tier(&mut ranked, Tier::None);
        }
        let (top, p_top) = ranked[0];
        // How sure the model is of its choice among the tiers still in the running.
        let conf = p_top / ranked.iter().map(|(_, p)| p).sum::<f64>().max(f64::EPSILON);
        if top != Tier::Human && p_human >= self.rules.human_threshold {
            return Triage {
                tier: Tier::Human,
                confidence: p_human,
                reason: TriageReason::Model,
            };
        }
        if let Some(p) = problem.filter(|_| top < Tier::Tier2) {
            // Another language: the model's tier is a guess from the words it shares with English.
            return Triage {
                tier: Tier::Tier2,
                confidence: 1.0,
                reason: TriageReason::Rule(p),
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
            // Torn between tiers 1 and 2 by a story around a how-to question: the question decides.
            let torn = matches!(
                (top, second),
                (Tier::Tier1, Tier::Tier2) | (Tier::Tier2, Tier::Tier1)
            );
            let asks_how = torn && self.asks_how(text);
            return Triage {
                tier: if asks_how { Tier::Tier1 } else { safer },
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

/// `ranked` without `tier`, the others' odds renormalised to sum to one.
fn drop_tier(ranked: &mut Vec<(Tier, f64)>, tier: Tier) {
    ranked.retain(|(t, _)| *t != tier);
    let rest: f64 = ranked.iter().map(|(_, p)| p).sum::<f64>().max(f64::EPSILON);
    for (_, p) in ranked.iter_mut() {
        *p /= rest;
    }
}

#[cfg(test)]
mod tests;
