//! How much of a question a section covers: the question's content words (stemmed, stop words and
//! chat filler out), each weighted by how rare it is in the knowledge base, and the share of that
//! weight a section's title, heading and body contain.

use std::collections::{HashMap, HashSet};
use tantivy::tokenizer::{
    Language, LowerCaser, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
};

/// Words that carry no meaning in a chat message to a support desk, besides English stop words.
const FILLER: &[&str] = &[
    "hi",
    "hey",
    "hello",
    "thanks",
    "thank",
    "thx",
    "pls",
    "please",
    "guys",
    "folks",
    "team",
    "anyone",
    "someone",
    "somebody",
    "lol",
    "ok",
    "okay",
    "just",
    "also",
    "really",
    "actually",
    "quick",
    "question",
    "help",
    "wondering",
    "know",
    "want",
    "need",
    "get",
    "can",
    "could",
    "would",
    "like",
    "way",
    "one",
    "use",
    "using",
    "still",
    "even",
    "yet",
    "now",
    "today",
    "im",
    "i'm",
    "ive",
    "i've",
    "dont",
    "don't",
    "doesnt",
    "doesn't",
    "cant",
    "can't",
    "u",
    "ur",
    "my",
    "our",
    "we",
    "us",
    "you",
    "your",
    "me",
    "do",
    "does",
    "did",
    "how",
    "what",
    "where",
    "when",
    "why",
    "which",
    "who",
    "is",
    "are",
    "am",
    "there",
    "here",
    "any",
    "some",
    "all",
    "every",
    "much",
    "many",
    "got",
    "make",
    "thing",
    "stuff",
    "something",
    "anything",
    "able",
    "tried",
    "try",
    "trying",
    "ask",
    "asking",
    "hoping",
    "see",
    "seems",
    "go",
    "going",
];

/// The analyzer both the index and the coverage use: words, lower-cased, English stop words out,
/// Porter-stemmed.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(
            StopWordFilter::new(Language::English).expect("English stop words ship with tantivy"),
        )
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Each section's distinct terms and each term's document frequency.
pub struct Terms {
    analyzer: TextAnalyzer,
    filler: HashSet<String>,
    sections: Vec<HashSet<String>>,
    df: HashMap<String, u32>,
}

impl Terms {
    pub fn new<'a>(texts: impl Iterator<Item = &'a str>) -> Terms {
        let mut t = Terms {
            analyzer: analyzer(),
            filler: HashSet::new(),
            sections: vec![],
            df: HashMap::new(),
        };
        t.filler = FILLER.iter().flat_map(|w| t.analyze(w)).collect();
        for text in texts {
            let set: HashSet<String> = t.analyze(text).into_iter().collect();
            for w in &set {
                *t.df.entry(w.clone()).or_default() += 1;
            }
            t.sections.push(set);
        }
        t
    }

    /// The analyzed words of `text`, in order, repeats kept.
    pub fn analyze(&self, text: &str) -> Vec<String> {
        let mut a = self.analyzer.clone();
        let mut stream = a.token_stream(text);
        let mut out = vec![];
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    /// The question's distinct content terms (filler out), with their weights.
    pub fn query(&self, text: &str) -> Vec<(String, f32)> {
        let mut seen = HashSet::new();
        self.analyze(text)
            .into_iter()
            .filter(|w| !self.filler.contains(w) && seen.insert(w.clone()))
            .map(|w| {
                let idf = self.idf(&w);
                (w, idf)
            })
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
}
