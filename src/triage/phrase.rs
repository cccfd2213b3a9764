//! Phrases as the triage rules list them: whole words in a row, case-insensitive. A last word
//! ending in `*` stands for every word it begins ("bloqu*": bloqué, bloqueado, bloccato…), and `...`
//! lets up to [`GAP`] words come between two parts ("schlägt ... fehl": "die Zahlung schlägt immer
//! wieder fehl"; "depuis ... hier": "depuis hier soir"), as separable verbs and time phrases do.

use super::features;

/// The most words `...` stands for.
pub const GAP: usize = 4;
/// How a gap is kept among a phrase's words.
const GAP_MARK: &str = "...";

/// `phrase`'s words as [`first`] matches them: a `*` is kept on the word it ends, `...` between
/// words as a word of its own (none at either end).
pub(super) fn parse(phrase: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for (i, part) in phrase.split(GAP_MARK).enumerate() {
        let mut words = features::words(part);
        if words.is_empty() {
            continue;
        }
        if part.trim_end().ends_with('*')
            && let Some(last) = words.last_mut()
        {
            last.push('*');
        }
        if i > 0 && !out.is_empty() {
            out.push(GAP_MARK.to_string());
        }
        out.extend(words);
    }
    out
}

/// Whether `word` is what `pattern` names: the same word, or one it begins when it ends in `*`.
fn same(pattern: &str, word: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(stem) => word.starts_with(stem),
        None => pattern == word,
    }
}

/// Whether `phrase` occurs in `words` starting at `words[0]`.
fn here(phrase: &[String], words: &[String]) -> bool {
    match phrase.split_first() {
        None => true,
        Some((p, rest)) if p == GAP_MARK => {
            (0..=GAP.min(words.len())).any(|skip| here(rest, &words[skip..]))
        }
        Some((p, rest)) => words
            .split_first()
            .is_some_and(|(w, more)| same(p, w) && here(rest, more)),
    }
}

/// How many words of `words` `phrase` takes when it occurs starting at `words[0]` (the shortest
/// match when a gap leaves a choice).
fn length(phrase: &[String], words: &[String]) -> Option<usize> {
    match phrase.split_first() {
        None => Some(0),
        Some((p, rest)) if p == GAP_MARK => (0..=GAP.min(words.len()))
            .find_map(|skip| length(rest, &words[skip..]).map(|n| n + skip)),
        Some((p, rest)) => words
            .split_first()
            .filter(|(w, _)| same(p, w))
            .and_then(|(_, more)| length(rest, more).map(|n| n + 1)),
    }
}

/// Where in `words` `phrase` occurs: the index of each first word.
pub(super) fn starts<'a>(
    phrase: &'a [String],
    words: &'a [String],
) -> impl Iterator<Item = usize> + 'a {
    (0..words.len()).filter(move |&i| !phrase.is_empty() && here(phrase, &words[i..]))
}

/// A list of phrases indexed by their first word, so that a message is checked against only the
/// phrases that can start at one of its words (a starred first word is checked always).
#[derive(Debug, Clone, Default)]
pub(super) struct Phrases {
    list: Vec<Vec<String>>,
    by_first: std::collections::HashMap<String, Vec<usize>>,
    starred: Vec<usize>,
}

impl Phrases {
    /// `phrases` parsed ([`parse`]), those without a word left out, in their order.
    pub(super) fn new<S: AsRef<str>>(phrases: impl IntoIterator<Item = S>) -> Phrases {
        let mut set = Phrases::default();
        for p in phrases {
            set.push(parse(p.as_ref()));
        }
        set
    }

    /// Adds a parsed phrase after the others (none when it has no word).
    pub(super) fn push(&mut self, phrase: Vec<String>) {
        let Some(head) = phrase.first() else { return };
        let i = self.list.len();
        if head.ends_with('*') {
            self.starred.push(i);
        } else {
            self.by_first.entry(head.clone()).or_default().push(i);
        }
        self.list.push(phrase);
    }

    /// The first phrase, in list order, that occurs in `words` at a start `keep` accepts.
    pub(super) fn find(&self, words: &[String], keep: impl Fn(usize) -> bool) -> Option<String> {
        let mut candidates: Vec<usize> = words
            .iter()
            .filter_map(|w| self.by_first.get(w))
            .flatten()
            .chain(&self.starred)
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .map(|i| &self.list[i])
            .find(|p| starts(p, words).any(&keep))
            .map(|p| p.join(" "))
    }

    /// The first phrase, in list order, that occurs in `words`.
    pub(super) fn first(&self, words: &[String]) -> Option<String> {
        self.find(words, |_| true)
    }

    /// Whether word `i` of `words` is inside an occurrence of one of the phrases.
    pub(super) fn covers(&self, words: &[String], i: usize) -> bool {
        self.list.iter().any(|p| {
            (0..=i.min(words.len()))
                .any(|start| length(p, &words[start..]).is_some_and(|n| n > 0 && start + n > i))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(phrases: &[&str], text: &str) -> Option<String> {
        Phrases::new(phrases).first(&features::words(text))
    }

    #[test]
    fn a_starred_word_stands_for_the_words_it_begins() {
        let p = ["no lleg*", "fout", "ne s affich*"];
        let f = |t: &str| found(&p, t);
        assert_eq!(f("los correos no llegan").as_deref(), Some("no lleg*"));
        assert_eq!(
            f("aucune donnée ne s'affiche").as_deref(),
            Some("ne s affich*")
        );
        assert_eq!(f("een foutmelding"), None, "fout is whole");
        let w = features::words("nos llegan, no llegaron");
        let set = Phrases::new(p);
        let covered: Vec<bool> = (0..w.len()).map(|i| set.covers(&w, i)).collect();
        assert_eq!(covered, [false, false, true, true]);
        assert_eq!(f("llegan bien"), None, "in a row, all of it");
        assert_eq!(parse("  Bloqu* "), ["bloqu*"]);
        assert_eq!(parse("*"), Vec::<String>::new(), "no word, no phrase");
    }

    #[test]
    fn the_first_phrase_in_list_order_is_found_wherever_it_starts() {
        let p = ["late word", "first", "bloqu* ... cuenta", "first again"];
        let f = |t: &str| found(&p, t);
        assert_eq!(f("first then late word").as_deref(), Some("late word"));
        assert_eq!(f("the first one").as_deref(), Some("first"));
        assert_eq!(f("first again").as_deref(), Some("first"));
        assert_eq!(
            f("bloqueado mi cuenta, first").as_deref(),
            Some("first"),
            "list order, not place in the message"
        );
        assert_eq!(
            f("bloqueado mi cuenta").as_deref(),
            Some("bloqu* ... cuenta")
        );
        let set = Phrases::new(["404 error", "error"]);
        let words = features::words("404 error here");
        let not_after_status = |i: usize| i == 0 || words[i - 1] != "404";
        assert_eq!(
            set.find(&words, not_after_status).as_deref(),
            Some("404 error")
        );
        let words = features::words("an error 404 error");
        let keep = |i: usize| i >= 2;
        assert_eq!(set.find(&words, keep).as_deref(), Some("404 error"));
        let keep = |i: usize| i == 1;
        assert_eq!(set.find(&words, keep).as_deref(), Some("error"));
    }

    #[test]
    fn a_gap_lets_a_few_words_between_two_parts() {
        let p = ["schlägt ... fehl", "depuis ... hier*"];
        let f = |t: &str| found(&p, t);
        assert_eq!(
            f("Die Zahlung schlägt immer wieder fehl.").as_deref(),
            Some("schlägt ... fehl")
        );
        assert!(f("schlägt fehl").is_some(), "no word between is fine");
        assert!(f("depuis hier soir").is_some());
        assert_eq!(
            f("schlägt eins zwei drei vier fünf fehl"),
            None,
            "five words is too many"
        );
        assert_eq!(f("fehl schlägt"), None, "in order");
        assert_eq!(
            parse("... seit ... gestern ..."),
            ["seit", "...", "gestern"]
        );
    }
}
