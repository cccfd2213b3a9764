//! Whole-word phrase matching on what people type: lower-cased words, split at anything that is not
//! a letter or a digit (so "doesn't" is "doesn t").

/// The message's words, lower-cased, in order.
pub fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether any of `phrases` (words separated by single spaces) occurs in `words` as consecutive
/// whole words.
pub fn any_in(words: &[String], phrases: &[&str]) -> bool {
    phrases.iter().any(|p| {
        let p: Vec<&str> = p.split(' ').collect();
        words
            .windows(p.len())
            .any(|w| w.iter().zip(&p).all(|(a, b)| a == b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_whole_words_only() {
        let w = words("It still DOESN'T work, sadly");
        assert_eq!(w, ["it", "still", "doesn", "t", "work", "sadly"]);
        assert!(any_in(&w, &["doesn t work"]));
        assert!(!any_in(&w, &["sad"]));
        assert!(!any_in(&words(""), &["x"]));
    }
}
