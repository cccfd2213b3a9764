//! A reaction posted as a message ("same", "me too", "oof", "yikes", "+1 same") asks and reports
//! nothing: chatter, however the model reads its one word ("same" is half a "charged the same
//! amount twice" to a model trained on banking questions, so it paged a person). Emoji alone that
//! call for help ("🆘", "🚨", "😡") are not a reaction: support, as any message it is unsure of.

/// Words that, alone or a few together, only react to what someone else said.
const REACTIONS: &[&str] = &[
    "same",
    "ditto",
    "me",
    "too",
    "also",
    "here",
    "this",
    "agreed",
    "agree",
    "true",
    "yes",
    "yep",
    "yup",
    "yeah",
    "ya",
    "no",
    "nope",
    "nah",
    "ok",
    "okay",
    "k",
    "kk",
    "cool",
    "nice",
    "wow",
    "whoa",
    "woah",
    "oof",
    "yikes",
    "ouch",
    "ugh",
    "meh",
    "hmm",
    "hmmm",
    "huh",
    "oh",
    "ah",
    "aha",
    "lol",
    "lmao",
    "rofl",
    "haha",
    "hahaha",
    "heh",
    "omg",
    "oops",
    "welp",
    "rip",
    "mine",
    "us",
    "interesting",
    "noted",
    "gotcha",
    "fair",
    "indeed",
    "exactly",
    "sure",
    "so",
    "much",
];

/// Emoji that, in a message without a word, call for help rather than react ("🆘", "🚨🚨", "😡"):
/// support when unsure, where "👍" or "🎉" alone is chatter.
const DISTRESS: &[char] = &[
    '🆘', '🚨', '⚠', '❗', '‼', '😡', '🤬', '😤', '😫', '😩', '😭', '💀',
];

/// Whether a message without a letter holds one of the [`DISTRESS`] emoji.
pub(super) fn distress(text: &str) -> bool {
    !text.chars().any(char::is_alphabetic) && text.contains(DISTRESS)
}

/// At most this many words make a reaction; a longer message says something.
const MOST_WORDS: usize = 4;

/// The message's words when it is a reaction alone: one to four words (`features::words`, lower
/// case), each a reaction word (a "+1" counts as one).
pub(super) fn only_reaction(text: &str, words: &[String]) -> Option<String> {
    let reacts = |w: &String| REACTIONS.contains(&w.as_str()) || (w == "1" && text.contains("+1"));
    (!words.is_empty() && words.len() <= MOST_WORDS && words.iter().all(reacts))
        .then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::features::words;

    fn reaction(text: &str) -> bool {
        only_reaction(text, &words(text)).is_some()
    }

    #[test]
    fn distress_without_words_is_told_from_a_reaction() {
        for d in ["🆘", "🚨🚨🚨", "😡", "⚠️", "‼️"] {
            assert!(distress(d), "{d}");
        }
        for r in ["👍", "🎉🎉", "+1", "😡 lol", ""] {
            assert!(!distress(r), "{r}");
        }
    }

    #[test]
    fn reactions_alone_are_told_from_messages_that_say_something() {
        for r in [
            "same",
            "Same here",
            "me too!",
            "+1 same",
            "oof",
            "yikes 😬",
            "ok cool",
        ] {
            assert!(reaction(r), "{r}");
        }
        for m in [
            "same issue",
            "same here, can't log in either",
            "why?",
            "help",
            "same 500",
            "",
            "no no no no no",
            "refund",
        ] {
            assert!(!reaction(m), "{m}");
        }
    }
}
