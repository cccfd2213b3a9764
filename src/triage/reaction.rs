//! A reaction posted as a message ("same", "me too", "oof", "yikes", "+1 same") asks and reports
//! nothing: chatter, however the model reads its one word ("same" is half a "charged the same
//! amount twice" to a model trained on banking questions, so it paged a person).

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
