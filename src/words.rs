//! English content words, read the same way by the knowledge base and by triage: words lower-cased,
//! English stop words out, Porter-stemmed, and the filler of chat messages to a support desk.

pub mod spelling;

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
    // A question's frame, not its topic: "what's the difference between pro and team?"
    "difference",
    "differences",
];

/// A message's sentences, each with whether it asks something: it ends in `?` or opens with a
/// question word. A sentence ends at `?`, `!`, a line end, or `.`/`:` before a space ("quick one
/// from our ops team: how do i…?" asks only after the colon; "v2.0.2" is one word).
pub fn sentences(text: &str) -> Vec<(&str, bool)> {
    const OPENERS: &[&str] = &[
        "how", "what", "where", "when", "why", "which", "who", "can", "could", "is", "are", "do",
        "does", "did", "will", "would", "should", "any", "anyone",
    ];
    let mut out = vec![];
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest
            .char_indices()
            .find(|&(i, c)| {
                matches!(c, '?' | '!' | '\n')
                    || matches!(c, '.' | ':')
                        && rest[i + 1..].chars().next().is_none_or(char::is_whitespace)
            })
            .map_or(rest.len(), |(i, c)| i + c.len_utf8());
        let sentence = &rest[..end];
        rest = &rest[end..];
        let first = sentence
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .find(|w| !w.is_empty())
            .unwrap_or("")
            .to_lowercase();
        let asks = sentence.ends_with('?') || OPENERS.contains(&first.as_str());
        if !sentence.trim().is_empty() {
            out.push((sentence.trim(), asks));
        }
    }
    out
}

/// The sentences of a message that ask something, or the whole message when none does: what a
/// section must cover, and what triage reads when the story around it leaves the model torn.
pub fn asked(text: &str) -> Vec<String> {
    let out: Vec<String> = sentences(text)
        .into_iter()
        .filter(|(_, asks)| *asks)
        .map(|(s, _)| s.to_string())
        .collect();
    if out.is_empty() {
        vec![text.to_string()]
    } else {
        out
    }
}

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

/// English words (SCOWL's American English list at size 50, as Debian's `wamerican` ships it: the
/// lower-case entries without possessives; `config/triage/README.md` names its licence).
const ENGLISH_LEXICON: &str = include_str!("../config/triage/english-words.txt");

/// Names of the same list (places, people, brands), lower-cased, that are not also words above.
const ENGLISH_NAMES: &str = include_str!("../config/triage/english-names.txt");

/// Whether `w` (lower-cased) is an English word of the lexicon above.
pub fn english_word(w: &str) -> bool {
    static WORDS: std::sync::OnceLock<HashSet<&'static str>> = std::sync::OnceLock::new();
    WORDS
        .get_or_init(|| ENGLISH_LEXICON.lines().collect())
        .contains(w)
}

/// Whether `w` (lower-cased) is an English word or a name of the lexicon ("seattle", "charles").
pub fn english_word_or_name(w: &str) -> bool {
    static NAMES: std::sync::OnceLock<HashSet<&'static str>> = std::sync::OnceLock::new();
    english_word(w)
        || NAMES
            .get_or_init(|| ENGLISH_NAMES.lines().collect())
            .contains(w)
}

#[cfg(test)]
mod tests {
    use super::{asked, sentences};

    #[test]
    fn the_question_is_told_from_the_story_around_it() {
        let m = "getting a new phone next week. what do i do about my authenticator so i dont \
                 lock myself out";
        assert_eq!(
            asked(m),
            ["what do i do about my authenticator so i dont lock myself out"]
        );
        let m = "We moved to version 2.0.2 last night. Is the old backup still there? Thanks!";
        assert_eq!(asked(m), ["Is the old backup still there?"]);
        let m = "quick one from our ops team: how do i change my time zone? and is the weekly \
                 email available in french?";
        assert_eq!(
            asked(m),
            [
                "how do i change my time zone?",
                "and is the weekly email available in french?"
            ],
            "each question on its own, the preamble before the colon out"
        );
        let story = "The export is stuck at 80 %. It has been an hour.";
        assert_eq!(asked(story), [story], "no question: the whole message");
    }

    #[test]
    fn a_message_is_told_in_sentences_that_ask_or_tell() {
        let m = "our old cto left for a startup. how do i transfer ownership to me?";
        assert_eq!(
            sentences(m),
            [
                ("our old cto left for a startup.", false),
                ("how do i transfer ownership to me?", true)
            ]
        );
        assert_eq!(
            sentences("We run v2.0.2 now"),
            [("We run v2.0.2 now", false)]
        );
        assert!(sentences("  ").is_empty());
    }
}
