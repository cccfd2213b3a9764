//! How much of a question a section covers: the question's content words (stemmed, stop words and
//! chat filler out), each weighted by how rare it is in the knowledge base, and the share of that
//! weight a section's title, heading and body contain. Web addresses count for rarity but are not
//! words a section says (`addresses`).

use crate::words::Words;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Each section's distinct terms and each term's document frequency.
pub struct Terms {
    words: Words,
    sections: Vec<HashSet<String>>,
    /// Each section's own heading's terms ([`Terms::with_headings`]).
    headings: Vec<HashSet<String>>,
    df: HashMap<String, u32>,
}

impl Terms {
    pub fn new<'a>(texts: impl Iterator<Item = &'a str>) -> Terms {
        let mut t = Terms {
            words: Words::default(),
            sections: vec![],
            headings: vec![],
            df: HashMap::new(),
        };
        for text in texts {
            let all: HashSet<String> = t.words.analyze(text).into_iter().collect();
            for w in &all {
                *t.df.entry(w.clone()).or_default() += 1;
            }
            // Read again only when an address was taken out (most sections hold none).
            let said = match super::addresses::without_addresses(text) {
                Cow::Borrowed(_) => all,
                Cow::Owned(said) => t.words.analyze(&said).into_iter().collect(),
            };
            t.sections.push(said);
        }
        t
    }

    /// The distinct terms of `text`, analysed as the sections' are.
    pub fn analyze(&self, text: &str) -> HashSet<String> {
        self.words.analyze(text).into_iter().collect()
    }

    /// The question's distinct content terms (filler out, web addresses too), with their weights.
    pub fn query(&self, text: &str) -> Vec<(String, f32)> {
        self.words
            .content(&super::addresses::without_addresses(text))
            .into_iter()
            .map(|w| {
                let idf = self.idf(&w);
                (w, idf)
            })
            .collect()
    }

    /// Each section's own heading, in section order: analysed once here, not at every question.
    pub fn with_headings<'a>(mut self, headings: impl Iterator<Item = &'a str>) -> Terms {
        self.headings = headings
            .map(|h| self.words.analyze(h).into_iter().collect())
            .collect();
        self
    }

    /// How many of the query's terms section `i`'s own heading contains.
    pub fn named_in(&self, query: &[(String, f32)], i: usize) -> u32 {
        let Some(named) = self.headings.get(i) else {
            return 0;
        };
        query.iter().filter(|(t, _)| named.contains(t)).count() as u32
    }

    /// The distinct words of `text` as written (lower-cased), each with its content terms (none
    /// for filler and stop words): read once per question for [`Terms::elsewhere`].
    pub fn written(&self, text: &str) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = vec![];
        for w in crate::domain::phrases::words(text) {
            if !out.iter().any(|(o, _)| *o == w) {
                let terms = self.words.content(&w);
                out.push((w, terms));
            }
        }
        out
    }

    /// The `written` words whose content term section `i` lacks and another section has.
    pub fn elsewhere(&self, written: &[(String, Vec<String>)], i: usize) -> Vec<String> {
        let Some(set) = self.sections.get(i) else {
            return vec![];
        };
        let known = |t: &String| !set.contains(t) && self.df.get(t).is_some_and(|n| *n > 0);
        written
            .iter()
            .filter(|(_, terms)| terms.iter().any(known))
            .map(|(w, _)| w.clone())
            .collect()
    }

    /// BM25's inverse document frequency; a word no section uses weighs most.
    fn idf(&self, w: &str) -> f32 {
        let n = self.sections.len() as f32;
        let df = self.df.get(w).copied().unwrap_or(0) as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The share of the query's weight that section `i` contains (0 when the query has no content).
    pub fn coverage(&self, query: &[(String, f32)], i: usize) -> f32 {
        let Some(set) = self.sections.get(i) else {
            return 0.0;
        };
        let total: f32 = query.iter().map(|(_, w)| w).sum();
        if total <= 0.0 {
            return 0.0;
        }
        let found: f32 = query
            .iter()
            .filter(|(t, _)| set.contains(t))
            .map(|(_, w)| w)
            .sum();
        found / total
    }
}

#[cfg(test)]
mod tests {
    use super::Terms;

    #[test]
    fn coverage_weighs_rare_words_and_ignores_filler() {
        let t = Terms::new(
            [
                "Reset your password from the sign-in page",
                "Export invoices as CSV from the billing page",
                "Sign out of all devices",
            ]
            .into_iter(),
        );
        let q = t.query("hey guys, how do I reset my password?");
        let words: Vec<&str> = q.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(words, ["reset", "password"]);
        assert_eq!(t.coverage(&q, 0), 1.0);
        assert_eq!(t.coverage(&q, 1), 0.0);
        // "dark mode" is in no section: a page about one shared word covers little of the question.
        let q = t.query("is there a dark mode for the billing page?");
        assert!(t.coverage(&q, 1) < 0.5, "{q:?}");
        assert_eq!(t.coverage(&t.query("hello thanks"), 0), 0.0);
    }

    #[test]
    fn the_questions_words_other_sections_use_are_elsewhere() {
        let t = Terms::new(
            [
                "Rename your workspace under Settings",
                "Build a dashboard from your sources",
            ]
            .into_iter(),
        );
        let w = t.written("can I rename a dashboard, or a zeppelin?");
        // "dashboard" is the second section's; "rename" is the first's own, "zeppelin" no
        // section's, "can" and "a" are no content.
        assert_eq!(t.elsewhere(&w, 0), ["dashboard"]);
        assert_eq!(t.elsewhere(&w, 1), ["rename"]);
        assert!(t.elsewhere(&w, 9).is_empty());
    }

    /// "What's the difference between A and B" is about A and B: a section that says "the
    /// prorated difference" covers nothing of it.
    #[test]
    fn a_questions_frame_is_not_what_it_asks_about() {
        let t = Terms::new(
            [
                "Upgrade your plan: you pay the prorated difference",
                "Compare the plans: Pro and Business",
            ]
            .into_iter(),
        );
        let q = t.query("what's the difference between the pro and business plans?");
        let words: Vec<&str> = q.iter().map(|(w, _)| w.as_str()).collect();
        assert!(!words.contains(&"differ"), "{words:?}");
        assert!(t.coverage(&q, 1) > t.coverage(&q, 0), "{q:?}");
    }

    #[test]
    fn a_heading_names_the_questions_terms_it_holds_stemmed() {
        let t = Terms::new(["Generate an API key", "Authenticate requests"].into_iter())
            .with_headings(["Generate an API key", "Authenticate requests"].into_iter());
        let q = t.query("where do i generate api keys??");
        assert_eq!(t.named_in(&q, 0), 3);
        assert_eq!(t.named_in(&q, 1), 0);
        assert_eq!(t.named_in(&t.query("authenticating my requests"), 1), 2);
        assert_eq!(t.named_in(&q, 2), 0, "no such section");
    }

    /// A host name a section mentions for another reason does not cover a question about the
    /// words in it; the words it says itself still do.
    #[test]
    fn a_web_address_covers_nothing() {
        let t = Terms::new(
            [
                "Dashboard shows a blank page: check status.tallybird.example for an incident",
                "Subscribe to incident updates on our status page",
            ]
            .into_iter(),
        );
        let q = t.query("is there a status page?");
        assert!(t.coverage(&q, 0) <= 0.5, "{}", t.coverage(&q, 0));
        assert_eq!(t.coverage(&q, 1), 1.0);
        let t =
            Terms::new(["Amazon ELB: see https://docs.aws.amazon.com/elb/policy.html"].into_iter());
        let q = t.query("aws elb?");
        assert!(t.coverage(&q, 0) > 0.0 && t.coverage(&q, 0) < 1.0);
    }
}
