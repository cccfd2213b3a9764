//! The product's own words, read off its documentation: a word most pages use and the triage model
//! never learned (its name, its jargon) says a message is addressed to the product, so it is support.
//! Chatter rarely uses such a word: the model saw it in fewer than its `min_df` training messages.
//! A name the model knows as an everyday word ("Black") counts when the docs write it as a name
//! (`product_name`).

use super::{Model, Triager, features, phrase};
use std::collections::HashMap;

/// Fewer pages than this say nothing about which words are the product's: every word of a one-page
/// knowledge base is on all of its pages.
pub const MIN_PAGES: usize = 5;
/// At most this many words, the most widespread first.
pub const MAX_WORDS: usize = 25;

/// Words on at least `min_share` of `pages` (and on at least three), alphabetic, three letters or
/// more, that `model` does not know or that the pages write as a name (weak, `~`, when the model
/// knows it); links are left out. Empty when `min_share` is 0 or there are
/// fewer than [`MIN_PAGES`] pages.
pub fn words(pages: &[String], model: &Model, min_share: f64) -> Vec<String> {
    if min_share <= 0.0 || pages.len() < MIN_PAGES {
        return vec![];
    }
    let mut on_pages: HashMap<String, usize> = HashMap::new();
    for page in pages {
        let mut seen: Vec<String> = page
            .split_whitespace()
            .filter(|t| !t.contains("://") && !t.starts_with("www."))
            .flat_map(features::words)
            .filter(|w| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic))
            .collect();
        seen.sort();
        seen.dedup();
        for w in seen {
            *on_pages.entry(w).or_default() += 1;
        }
    }
    let least = ((min_share * pages.len() as f64).ceil() as usize).max(3);
    let names = super::product_name::names(pages);
    let mut found: Vec<(String, usize)> = on_pages
        .into_iter()
        .filter(|(w, n)| *n >= least && (!model.knows_word(w) || names.contains(w)))
        .collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    found.truncate(MAX_WORDS);
    // A name that is also an everyday word is a weak signal: "is black coffee better" stays chatter.
    found
        .into_iter()
        .map(|(w, _)| {
            if model.knows_word(&w) {
                format!("~{w}")
            } else {
                w
            }
        })
        .collect()
}

impl Triager {
    /// Makes these words support signals too (the product's own words, `product::words`); one
    /// starting with `~` is weak, as in `support_phrases`.
    pub fn with_support_words(mut self, words: &[String]) -> Triager {
        for w in words {
            if !self.rules.support_phrases.contains(w) {
                self.rules.support_phrases.push(w.clone());
                match w.strip_prefix('~') {
                    Some(weak) => self.weak_support.push(phrase::parse(weak)),
                    None => self.support.push(phrase::parse(w)),
                }
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Tier;
    use crate::triage::Triager;

    fn pages(n: usize, with_name: usize) -> Vec<String> {
        (0..n)
            .map(|i| {
                let name = if i < with_name { "Zorblat" } else { "the app" };
                format!(
                    "# Page {i}\nOpen {name} settings and choose a plan. See https://docs.quokkix.example/x \
                     for more. Page{i} has flibber{i}."
                )
            })
            .collect()
    }

    #[test]
    fn the_name_most_pages_use_is_found_and_english_is_not() {
        let m = Triager::default_model();
        let w = words(&pages(8, 4), &m, 0.4);
        assert_eq!(
            w,
            ["zorblat"],
            "links, known words and one-page words are left out"
        );
        assert!(
            words(&pages(8, 3), &m, 0.4).is_empty(),
            "3 of 8 is under 0.4"
        );
        assert!(words(&pages(4, 4), &m, 0.4).is_empty(), "too few pages");
        assert!(words(&pages(8, 8), &m, 0.0).is_empty(), "0 turns it off");
    }

    #[test]
    fn a_name_that_is_an_everyday_word_is_a_weak_product_word() {
        let m = Triager::default_model();
        let pages: Vec<String> = (0..6)
            .map(|i| {
                format!(
                    "# Option {i}\nRun _Black_ with option {i}, and Black formats your files. \
                     Then commit, since Black rewrites them in place.\n"
                )
            })
            .collect();
        let w = words(&pages, &m, 0.4);
        assert!(w.contains(&"~black".to_string()), "{w:?}");
        let t = Triager::new(m, rules()).with_support_words(&w);
        let tier = |text: &str| t.triage(text).tier;
        assert_ne!(tier("How to get black into PyCharm?"), Tier::None);
        assert_ne!(tier("what does black --fast actually skip?"), Tier::None);
        assert_eq!(tier("is black coffee better than espresso lol"), Tier::None);
        assert_eq!(tier("set a 4 minute timer"), Tier::None);
    }

    fn rules() -> crate::triage::TriageRules {
        crate::triage::TriageRules {
            confidence_threshold: 0.5,
            human_threshold: 0.35,
            human_phrases: vec![],
            none_threshold: 0.5,
            unrelated_none_threshold: 0.5,
            sure_none_threshold: 0.95,
            related_share: 0.0,
            support_phrases: vec!["help".into()],
            other_language_problems: vec![],
            other_language_questions: vec![],
            praise_phrases: vec![],
            spam: crate::triage::spam::SpamRules {
                phrases: vec![],
                links: 3,
                mentions: 5,
            },
        }
    }

    #[test]
    fn a_product_word_makes_a_message_support() {
        let rules = rules();
        let text = "what is zorblat exactly? my boss sent me an invite";
        let named = Triager::new(Triager::default_model(), rules)
            .with_support_words(&["zorblat".to_string()]);
        assert_ne!(named.triage(text).tier, Tier::None);
        assert_eq!(named.triage("set a 4 minute timer").tier, Tier::None);
    }
}
