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

/// Where in `words` `phrase` occurs: the index of each first word.
pub(super) fn starts<'a>(
    phrase: &'a [String],
    words: &'a [String],
) -> impl Iterator<Item = usize> + 'a {
    (0..words.len()).filter(move |&i| !phrase.is_empty() && here(phrase, &words[i..]))
}

/// The first of `phrases` that occurs in `words`.
pub(super) fn first(phrases: &[Vec<String>], words: &[String]) -> Option<String> {
    phrases
        .iter()
        .find(|p| starts(p, words).next().is_some())
        .map(|p| p.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(phrases: &[&str], text: &str) -> Option<String> {
        let phrases: Vec<Vec<String>> = phrases.iter().map(|p| parse(p)).collect();
        first(&phrases, &features::words(text))
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
        assert_eq!(f("llegan bien"), None, "in a row, all of it");
        assert_eq!(parse("  Bloqu* "), ["bloqu*"]);
        assert_eq!(parse("*"), Vec::<String>::new(), "no word, no phrase");
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
