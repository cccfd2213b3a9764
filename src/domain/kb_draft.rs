//! A docs entry drafted from a ticket a person answered: the customer's question as a heading (their
//! words, cleaned of greetings and filler) over the person's answer.

/// Words a chat message opens with that a heading does without.
const OPENERS: &[&str] = &[
    "hi",
    "hey",
    "hello",
    "yo",
    "hiya",
    "greetings",
    "all",
    "everyone",
    "team",
    "guys",
    "folks",
    "there",
    "quick",
    "question",
    "so",
    "ok",
    "okay",
    "um",
    "hmm",
];

/// The longest heading, in characters.
const MAX_HEADING: usize = 100;

/// The question a customer asked, as a heading: its first question (or first sentence) without the
/// greeting, capitalised, at most 100 characters; `None` when nothing is left.
pub fn heading(question: &str) -> Option<String> {
    let flat = question.split_whitespace().collect::<Vec<_>>().join(" ");
    let sentences = split_sentences(&flat);
    let pick = sentences
        .iter()
        .map(|s| strip_openers(s))
        .find(|s| s.ends_with('?') && s.split_whitespace().count() >= 2)
        .or_else(|| {
            sentences
                .iter()
                .map(|s| strip_openers(s))
                .find(|s| s.split_whitespace().count() >= 2)
        })?;
    let mut h = cut_words(&pick, MAX_HEADING);
    if let Some(first) = h.chars().next() {
        h = first.to_uppercase().collect::<String>() + &h[first.len_utf8()..];
    }
    Some(h)
}

/// Sentences, each with its closing punctuation.
fn split_sentences(text: &str) -> Vec<String> {
    let mut out = vec![];
    let mut cur = String::new();
    for c in text.chars() {
        cur.push(c);
        if matches!(c, '?' | '.' | '!') {
            out.push(cur.trim().to_string());
            cur.clear();
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// The sentence without its opening greeting words and punctuation.
fn strip_openers(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    let clean = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let skip = words
        .iter()
        .take_while(|w| clean(w).is_empty() || OPENERS.contains(&clean(w).as_str()))
        .count();
    words[skip..]
        .join(" ")
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_string()
}

/// `text` cut at a word boundary to at most `max` characters.
fn cut_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for w in text.split_whitespace() {
        if out.chars().count() + w.chars().count() + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::heading;

    #[test]
    fn the_question_becomes_a_heading_without_the_greeting() {
        assert_eq!(
            heading("hey team! quick question: is there a dark mode? my eyes hurt").as_deref(),
            Some("Is there a dark mode?")
        );
        assert_eq!(
            heading("Hi all,\nwe need our invoices in euros. Possible?").as_deref(),
            Some("We need our invoices in euros.")
        );
        assert_eq!(heading("hello!!").as_deref(), None);
        assert_eq!(heading("").as_deref(), None);
        let long = format!("can {}?", "we really ".repeat(30));
        assert!(heading(&long).unwrap().chars().count() <= 100);
    }
}
