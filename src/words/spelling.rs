//! A question's misspelt words read as the knowledge base's own: "pasword" as "password",
//! "dashbaord" as "dashboard", so retrieval and coverage see what the customer meant.
//!
//! A word is corrected only when it is long enough to say something (six letters or more), neither
//! the docs nor the English lexicon know it, and one slip turns it into a word the docs use: a
//! letter dropped, added, swapped with its neighbour or typed wrong — never the first letter, which
//! people rarely miss and which tells product names apart ("iphone" is not "phone", "cython" not
//! "python"), nor the last letter added or dropped ("america" is not "american"); names of places
//! and people ("seattle") are words too. When several of the docs' words are one slip away, the one
//! they use most wins.

use std::borrow::Cow;
use std::collections::HashMap;

/// Fewer letters than this are never corrected: short words have too many neighbours ("dont" and
/// "dot", "macs" and "acs").
const MIN_LETTERS: usize = 6;

/// Longer runs of letters are not words a person misspelt ("xxxx…", a hash): left as written,
/// so reading one never costs more than a word's slips.
const MAX_LETTERS: usize = 24;

/// More unknown words than this and a message is not one with a slip or two but a paste of logs,
/// code or another language: it is left as written, and reading it costs no more.
const MAX_UNKNOWN: usize = 32;

/// The knowledge base's words (lower-case, letters only) and how often its sections use each.
#[derive(Default)]
pub struct Spelling {
    words: HashMap<String, u32>,
}

impl Spelling {
    pub fn new<'a>(texts: impl Iterator<Item = &'a str>) -> Spelling {
        let mut words: HashMap<String, u32> = HashMap::new();
        for text in texts {
            for w in letters(text) {
                if w.len() >= MIN_LETTERS - 1 {
                    *words.entry(w.to_lowercase()).or_default() += 1;
                }
            }
        }
        Spelling { words }
    }

    /// `text` with each misspelt word replaced by the docs' word it was meant to be; borrowed when
    /// nothing was corrected (most messages). A capitalised word inside a sentence is a name
    /// ("Notting Hill", "Cython"), and a message of which fewer than half the words are English,
    /// names or the docs' is in another language ("unsere", "novembre"): neither is corrected.
    pub fn correct<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut fixes: Vec<(usize, &str, &str)> = vec![];
        let mut unknown = 0;
        for w in letters(text) {
            let start = w.as_ptr() as usize - text.as_ptr() as usize;
            if w.starts_with(char::is_uppercase) && !starts_sentence(&text[..start]) {
                continue;
            }
            match self.meant(w) {
                Meant::Known => {}
                Meant::Unknown => unknown += 1,
                Meant::Slip(fixed) => fixes.push((start, w, fixed)),
            }
            if unknown + fixes.len() > MAX_UNKNOWN {
                return Cow::Borrowed(text);
            }
        }
        if fixes.is_empty() || !self.mostly_known(text, fixes.len()) {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len() + 8);
        let mut copied = 0;
        for (start, w, fixed) in fixes {
            out.push_str(&text[copied..start]);
            out.push_str(fixed);
            copied = start + w.len();
        }
        out.push_str(&text[copied..]);
        Cow::Owned(out)
    }

    /// Whether at least half of `text`'s words are English, names or the docs' own, counting the
    /// `fixed` misspelt ones as the docs'.
    fn mostly_known(&self, text: &str, fixed: usize) -> bool {
        let (mut known, mut all) = (fixed, 0);
        for w in letters(text) {
            let lower = w.to_lowercase();
            all += 1;
            if self.words.contains_key(&lower) || crate::words::english_word_or_name(&lower) {
                known += 1;
            }
        }
        known * 2 >= all
    }

    /// What `w` is: known (or too short to tell), a slip of one of the docs' words, or unknown.
    fn meant(&self, w: &str) -> Meant<'_> {
        if !(MIN_LETTERS..=MAX_LETTERS).contains(&w.len()) || !w.is_ascii() {
            return Meant::Known;
        }
        let lower = w.to_ascii_lowercase();
        if self.words.contains_key(&lower) || crate::words::english_word_or_name(&lower) {
            return Meant::Known;
        }
        let mut best: Option<(&str, u32)> = None;
        slips(lower.as_bytes(), |candidate| {
            let Ok(c) = std::str::from_utf8(candidate) else {
                return;
            };
            if let Some((known, n)) = self.words.get_key_value(c) {
                let better = match best {
                    None => true,
                    Some((b, m)) => *n > m || (*n == m && known.as_str() < b),
                };
                if better {
                    best = Some((known.as_str(), *n));
                }
            }
        });
        best.map_or(Meant::Unknown, |(w, _)| Meant::Slip(w))
    }
}

/// What a word of a message is to the docs.
enum Meant<'a> {
    Known,
    Unknown,
    Slip(&'a str),
}

/// Whether a word after `before` opens a sentence: nothing, or a sentence's end, comes before it.
fn starts_sentence(before: &str) -> bool {
    let before = before.trim_end_matches([' ', '\t', '"', '\'', '(', '*', '_']);
    matches!(
        before.chars().last(),
        None | Some('.' | '!' | '?' | ':' | '\n' | '\r')
    )
}

/// The runs of letters in `text`.
fn letters(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
}

/// Calls `f` with every word one slip from `w` that keeps its first and last letters' places: one
/// letter deleted, inserted or replaced, or two neighbours swapped.
fn slips(w: &[u8], mut f: impl FnMut(&[u8])) {
    let mut buf: Vec<u8> = Vec::with_capacity(w.len() + 1);
    // A letter added or dropped at the end makes another form of the same word ("america",
    // "american"), not a slip: such words are left as they are.
    for i in 1..w.len() {
        if i + 1 < w.len() {
            buf.clear();
            buf.extend_from_slice(&w[..i]);
            buf.extend_from_slice(&w[i + 1..]);
            f(&buf);
        }
        if i + 1 < w.len() && w[i] != w[i + 1] {
            buf.clear();
            buf.extend_from_slice(w);
            buf.swap(i, i + 1);
            f(&buf);
        }
    }
    for i in 1..w.len() {
        for c in b'a'..=b'z' {
            buf.clear();
            buf.extend_from_slice(&w[..i]);
            buf.push(c);
            buf.extend_from_slice(&w[i..]);
            f(&buf);
            if w[i] != c {
                buf.clear();
                buf.extend_from_slice(w);
                buf[i] = c;
                f(&buf);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs() -> Spelling {
        Spelling::new(
            [
                "Reset your password from the sign-in page.",
                "Build a dashboard: Open Dashboards, then New dashboard.",
                "Invoices are received by the billing email. Python and phone apps.",
            ]
            .into_iter(),
        )
    }

    #[test]
    fn slips_of_the_docs_words_read_as_them() {
        let s = docs();
        assert_eq!(
            s.correct("forgot my pasword, and the dashbaord is blank"),
            "forgot my password, and the dashboard is blank"
        );
        assert_eq!(
            s.correct("Invoice never recieved"),
            "Invoice never received"
        );
        assert_eq!(s.correct("PASWORD reset"), "password reset");
    }

    #[test]
    fn known_short_and_first_letter_words_stay() {
        let s = docs();
        for text in [
            "how do i reset my password",
            "does it work on iphone",
            "cython support?",
            "dont know",
            "the dashboards are slow",
            "café paswörd",
        ] {
            assert!(matches!(s.correct(text), Cow::Borrowed(_)), "{text}");
        }
    }

    #[test]
    fn the_docs_commonest_word_wins_a_tie_of_slips() {
        let s = Spelling::new(["carts carts carts", "parts", "carps"].into_iter());
        // "cartts" is one slip from "carts" only: the others need two.
        assert_eq!(s.correct("cartts"), "carts");
        let s = Spelling::new(["bother bother", "bathes"].into_iter());
        assert_eq!(s.correct("bothes"), "bother");
    }

    #[test]
    fn names_and_other_languages_stay() {
        let s = Spelling::new(
            [
                "Settle the invoice. Nothing to pay. Unsure? Password reset.",
                "November",
            ]
            .into_iter(),
        );
        for text in [
            "best restaurant in seattle",
            "the ATM in Notting Hill ate my card",
            "Sehr geehrte Damen und Herren, unsere Rechnung vom novembre fehlt",
        ] {
            assert!(matches!(s.correct(text), Cow::Borrowed(_)), "{text}");
        }
        assert_eq!(s.correct("Pasword reset"), "password reset");
        assert_eq!(s.correct("Hi. Nothng works"), "Hi. nothing works");
    }

    #[test]
    fn a_paste_of_unknown_words_is_left_as_written() {
        let s = docs();
        let paste: Vec<String> = (0..40)
            .map(|i| format!("qzxvbn{}", (b'a' + i % 26) as char))
            .collect();
        let text = format!("pasword {}", paste.join(" "));
        assert!(matches!(s.correct(&text), Cow::Borrowed(_)));
        // 20 unknown words among as many English ones are a message with a slip or two.
        let text = format!(
            "pasword {} {}",
            paste[..20].join(" "),
            ["reset"; 20].join(" ")
        );
        assert!(s.correct(&text).starts_with("password "));
    }

    #[test]
    fn a_run_of_letters_longer_than_a_word_is_left_as_written() {
        let s = docs();
        let long = format!("pasword {}", "x".repeat(50_000));
        assert!(s.correct(&long).starts_with("password xxx"));
        let text = format!("p{}sword", "a".repeat(30));
        assert!(matches!(s.correct(&text), Cow::Borrowed(_)));
    }

    #[test]
    fn another_ending_is_another_form_not_a_slip() {
        let s = Spelling::new(["American customers", "our dashboards"].into_iter());
        assert_eq!(s.correct("mall of america"), "mall of america");
        assert_eq!(s.correct("dashbaords"), "dashboards");
    }
}
