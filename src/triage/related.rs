//! How much a message shares with the product's docs: the share of its content words (stemmed, stop
//! words and chat filler out) that the knowledge base's pages use. A message the model leans to call
//! chatter and that shares little with the docs ("set an alarm for 7", "order me a pizza") is
//! chatter at a lower bar (`triage.unrelated_none_threshold`) than one that talks about the product.
//! A message's misspelt words are read as the docs' own before the model reads it.

use crate::words::Words;
use std::collections::HashSet;

/// The words of the knowledge base's pages, read as messages are.
pub struct DocWords {
    words: Words,
    vocabulary: HashSet<String>,
    /// The pages' words as written, which a message's misspelt words are read as.
    spelling: crate::words::spelling::Spelling,
}

impl DocWords {
    /// The words of `pages`; `None` for fewer than [`super::product::MIN_PAGES`] pages, which say
    /// too little about what the product's customers write about.
    pub fn new(pages: &[String]) -> Option<DocWords> {
        if pages.len() < super::product::MIN_PAGES {
            return None;
        }
        let words = Words::default();
        let vocabulary = pages.iter().flat_map(|p| words.analyze(p)).collect();
        let spelling = crate::words::spelling::Spelling::new(pages.iter().map(String::as_str));
        Some(DocWords {
            words,
            vocabulary,
            spelling,
        })
    }

    /// `text` with its misspelt words read as the docs' own ("notifcations" as "notifications").
    pub fn correct<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        self.spelling.correct(text)
    }

    /// The share of the message's content words the docs use: 0 for a message with none (greetings,
    /// thanks, emoji) or none of them in the docs.
    pub fn share(&self, text: &str) -> f64 {
        let content = self.words.content(text);
        if content.is_empty() {
            return 0.0;
        }
        let known = content
            .iter()
            .filter(|w| self.vocabulary.contains(*w))
            .count();
        known as f64 / content.len() as f64
    }
}

impl super::Triager {
    /// The share of `text`'s content words the knowledge base's pages use (`None` without docs).
    pub fn docs_share(&self, text: &str) -> Option<f64> {
        self.docs.as_ref().map(|d| d.share(text))
    }

    /// The least P(none) for calling `text` chatter: lower when it shares little with the docs.
    pub(super) fn none_threshold(&self, text: &str) -> f64 {
        match &self.docs {
            Some(d) if d.share(text) < self.rules.related_share => self
                .rules
                .unrelated_none_threshold
                .min(self.rules.none_threshold),
            _ => self.rules.none_threshold,
        }
    }

    /// `text` with its misspelt words read as the docs' own, when there are docs.
    pub(super) fn spelt<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        match &self.docs {
            Some(d) => d.correct(text),
            None => std::borrow::Cow::Borrowed(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DocWords;

    fn pages() -> Vec<String> {
        [
            "# Invoices\nExport invoices as PDF or CSV from the billing page.",
            "# Passwords\nReset your password from the sign-in page.",
            "# Teams\nInvite teammates to your workspace and set their roles.",
            "# Reports\nDashboards show revenue by month; reports load in seconds.",
            "# API\nCreate an API key under Settings and send it as a bearer token.",
        ]
        .map(String::from)
        .to_vec()
    }

    #[test]
    fn a_message_about_the_product_shares_its_words_and_chatter_does_not() {
        let d = DocWords::new(&pages()).expect("five pages");
        assert_eq!(d.share("how do I export my invoices as a PDF?"), 1.0);
        assert_eq!(d.share("play some jazz in the kitchen"), 0.0);
        assert_eq!(
            d.share("set an alarm for seven tomorrow"),
            0.25,
            "set: 1 of 4"
        );
        let mixed = d.share("can I reset the password of my pizza account");
        assert!(mixed > 0.3 && mixed < 1.0, "{mixed}");
        assert_eq!(d.share("hey thanks!"), 0.0, "no content words");
        assert!(DocWords::new(&pages()[..4]).is_none(), "too few pages");
    }

    /// Between the two bars, the docs decide: P(none) 0.53 is chatter for a message the docs share
    /// nothing with, support for one about the product, and support for both without docs.
    #[test]
    fn chatter_the_docs_share_nothing_with_is_silent_at_the_lower_bar() {
        use crate::domain::Tier;
        use crate::triage::{TriageRules, Triager, spam::SpamRules};
        let rules = TriageRules {
            confidence_threshold: 0.3,
            human_threshold: 0.35,
            human_phrases: vec![],
            none_threshold: 0.55,
            unrelated_none_threshold: 0.52,
            sure_none_threshold: 0.95,
            related_share: 0.5,
            support_phrases: vec![],
            other_language_problems: vec![],
            other_language_questions: vec![],
            praise_phrases: vec![],
            spam: SpamRules {
                phrases: vec![],
                links: 3,
                mentions: 5,
            },
        };
        let plain = Triager::new(Triager::default_model(), rules);
        let odds = |t: &Triager| -> Vec<f32> {
            let p = |c: &Tier| match c {
                Tier::None => 0.53,
                Tier::Tier1 => 0.27,
                _ => 0.1,
            };
            t.model().classes.iter().map(p).collect()
        };
        let (pizza, invoices) = ("order me a pizza for tonight", "export invoices as PDF");
        let p = odds(&plain);
        assert_eq!(plain.decide(pizza, &p).tier, Tier::Tier1, "no docs");
        let docs = plain.with_docs(&pages());
        assert_eq!(docs.decide(pizza, &p).tier, Tier::None);
        assert_eq!(docs.decide(invoices, &p).tier, Tier::Tier1);
        let sweep = docs.with_rules(docs.rules().clone());
        assert_eq!(
            sweep.decide(pizza, &p).tier,
            Tier::None,
            "kept by with_rules"
        );
    }
}
