//! English content words, read the same way by the knowledge base and by triage: words lower-cased,
//! English stop words out, Porter-stemmed, and the filler of chat messages to a support desk.

use std::collections::HashSet;
use tantivy::tokenizer::{
    Language, LowerCaser, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
};

/// Words that carry no meaning in a chat message to a support desk, besides English stop words.
pub const FILLER: &[&str] = &[
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

/// Reads text into analyzed words: all of them, or a message's distinct content words.
#[derive(Clone)]
pub struct Words {
    analyzer: TextAnalyzer,
    filler: HashSet<String>,
}

impl Default for Words {
    fn default() -> Words {
        let mut w = Words {
            analyzer: analyzer(),
            filler: HashSet::new(),
        };
        w.filler = FILLER.iter().flat_map(|f| w.analyze(f)).collect();
        w
    }
}

impl Words {
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

    /// The distinct content words of `text` (filler out), in order.
    pub fn content(&self, text: &str) -> Vec<String> {
        let mut seen = HashSet::new();
        self.analyze(text)
            .into_iter()
            .filter(|w| !self.filler.contains(w) && seen.insert(w.clone()))
            .collect()
    }
}
