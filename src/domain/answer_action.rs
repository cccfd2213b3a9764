//! A section that does something else to the same thing: "how do I cancel my subscription"
//! against *Pause your subscription*, "how do i export my api keys" against *Generate an API key*.
//! The question shares the thing's words, so it covers the section well; what it asks to do is
//! not what the section's heading does, and the section never speaks of that action. Or the same
//! action on another thing the docs know: "can i rename a dashboard" against *Rename your
//! workspace*.

use super::phrases::words;
use super::ports::KbHit;

/// Kinds of action on a product's things; the words of one group name one kind. Actions that
/// undo each other (connect and disconnect, import and export, pause and cancel) are in
/// different groups; ways to say one action are in the same group.
const ACTIONS: &[&[&str]] = &[
    &[
        "cancel",
        "close",
        "terminate",
        "delete",
        "remove",
        "erase",
        "purge",
        "kick",
        "unsubscribe",
        "uninstall",
        "disconnect",
        "unlink",
        "revoke",
        "deletion",
        "removal",
    ],
    &["pause", "suspend", "freeze"],
    &[
        "restore",
        "recover",
        "undo",
        "undelete",
        "revert",
        "unarchive",
    ],
    &["archive"],
    &["rename"],
    &["upgrade"],
    &["downgrade"],
    &[
        "add",
        "create",
        "generate",
        "build",
        "invite",
        "connect",
        "link",
        "hook",
        "integrate",
        "install",
        "enable",
        "activate",
    ],
    &["disable", "deactivate", "mute"],
    &["export", "download", "print"],
    &["import", "upload"],
    &["change", "update", "edit", "modify", "replace", "switch"],
    &["merge", "combine"],
    &["duplicate", "copy", "clone"],
    &["share"],
    &["rotate", "regenerate"],
    &["reset"],
    &["verify", "validate"],
    &["enforce", "require", "mandate"],
    &["schedule"],
    &["transfer"],
];

/// The endings a verb takes: "cancelled", "removing", "invites", "deletion", "logged".
const ENDINGS: &[&str] = &[
    "", "e", "s", "es", "d", "ed", "ing", "ion", "ions", "led", "ling", "lation",
];

/// The group `word` names an action of, if any.
fn action(word: &str) -> Option<usize> {
    ACTIONS
        .iter()
        .position(|group| group.iter().any(|base| is_form_of(word, base)))
}

/// Whether `word` is `base` with one of its endings ("archiving" of "archive", "cancelled" of
/// "cancel"; "address" is not "add", "signature" is no action at all).
fn is_form_of(word: &str, base: &str) -> bool {
    let stem = base.strip_suffix('e').unwrap_or(base);
    let Some(rest) = word.strip_prefix(stem) else {
        return false;
    };
    if ENDINGS.contains(&rest) {
        return true;
    }
    // A doubled last letter: "logging", "shipped".
    let last = &stem[stem.len().saturating_sub(1)..];
    rest.strip_prefix(last)
        .is_some_and(|r| ["ed", "ing"].contains(&r))
}

/// Words between an action and the thing it acts on: "delete *the* webhook", "rename *our* team",
/// "hook *it up*".
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "my", "our", "your", "their", "his", "her", "its", "this", "that", "these",
    "those", "all", "some", "every", "each", "any", "one", "new", "old", "me", "us", "it", "them",
    "him", "up", "out", "off", "down", "over", "back",
];

/// Words that end the thing acted on: "remove a member *from* our workspace".
const ENDS_OBJECT: &[&str] = &[
    "to", "from", "for", "in", "on", "of", "with", "at", "by", "so", "and", "or", "but", "without",
    "into", "after", "before", "while", "when", "if", "because", "i", "we", "you", "is", "are",
    "please", "again", "too", "as", "via", "through",
];

/// Whether the section's heading does something else than the question asks, or the same to
/// another thing: what a section that covers the question's words may still not answer.
pub fn does_something_else(question: &str, hit: &KbHit) -> bool {
    another_action(question, &hit.title, &hit.text) || another_thing(question, hit)
}

/// Whether the question asks the heading's action of another thing than the heading's, one the
/// section never names and other sections do ("can i rename a dashboard" against *Rename your
/// workspace*). The thing is the words after the action, up to three and short of a preposition
/// ("a mysql database" for "connect a mysql database to…"): none of the question's in the section,
/// one of them a word of other sections, none of the heading's in the question. A thing the docs
/// never name ("invite a coworker") may be the section's in other words; a heading that names no
/// thing after its action (*Switch from monthly to annual billing*) is about the action. A thing
/// named after "to" or "with" ("connect *to jira*", "integrate *with hubspot*") is what the action
/// links to: one the section never names is another thing, whether the docs know it or not.
fn another_thing(question: &str, hit: &KbHit) -> bool {
    let heading = words(hit.title.rsplit(" › ").next().unwrap_or(&hit.title));
    let Some(does) = heading.first().and_then(|w| action(w)) else {
        return false;
    };
    let q = words(question);
    let Some(&(at, _)) = asked_actions(&q).iter().find(|(_, a)| *a == does) else {
        return false;
    };
    let after = &q[at + 1..];
    let via = after
        .first()
        .is_some_and(|w| ["to", "with"].contains(&w.as_str()));
    let thing = thing_after(if via { &after[1..] } else { after });
    let its = thing_after(&heading[1..]);
    if its.is_empty() || its.iter().any(|w| q.contains(w)) {
        return false;
    }
    let section = words(&format!("{} {}", hit.title, hit.text));
    let named = |w: &str| {
        section
            .iter()
            .any(|s| s == w || s.strip_suffix('s') == Some(w) || w.strip_suffix('s') == Some(s))
    };
    !thing.is_empty()
        && !thing.iter().any(|w| named(w))
        && (via || thing.iter().any(|w| hit.elsewhere.contains(w)))
}

/// The thing an action acts on: the words after it, past determiners, up to three and short of a
/// preposition.
fn thing_after(words: &[String]) -> Vec<&String> {
    words
        .iter()
        .skip_while(|w| DETERMINERS.contains(&w.as_str()))
        .take_while(|w| !ENDS_OBJECT.contains(&w.as_str()))
        .take(3)
        .collect()
}

/// Whether the question asks for another kind of action than the section's heading does: its own
/// heading (the last part of `title`, a path joined by " › ") opens with an action the question
/// never names, and the question names an action the section (title and `text`) never speaks of.
/// A heading that names no action ("Two-factor authentication", "Roles") is never another action.
pub fn another_action(question: &str, title: &str, text: &str) -> bool {
    let heading = title.rsplit(" › ").next().unwrap_or(title);
    let Some(does) = words(heading).first().and_then(|w| action(w)) else {
        return false;
    };
    let asked: Vec<usize> = asked_actions(&words(question))
        .into_iter()
        .map(|(_, a)| a)
        .collect();
    if asked.is_empty() || asked.contains(&does) {
        return false;
    }
    let section: Vec<usize> = words(&format!("{title} {text}"))
        .iter()
        .filter_map(|w| action(w))
        .collect();
    asked.iter().any(|a| !section.contains(a))
}

/// Words after which an action's word names a thing, not what is asked: "revoke *an* invite",
/// "cancel *the* scheduled report".
const ARTICLES: &[&str] = &[
    "a", "an", "the", "my", "our", "your", "their", "his", "her", "its", "this", "that", "these",
    "those", "every", "each", "any", "some", "no",
];

/// The kinds of action a question asks for, each with the place of its word. An action's word is
/// no ask where it names a thing (after an article: "revoke *an invite*") or the deed another
/// action undoes or stops ("undo *removing* a member"): the ask there is the action before it.
fn asked_actions(q: &[String]) -> Vec<(usize, usize)> {
    q.iter()
        .enumerate()
        .filter(|(i, w)| {
            let before = i.checked_sub(1).map(|j| q[j].as_str());
            let named = before.is_some_and(|b| ARTICLES.contains(&b));
            let undone = w.ends_with("ing") && before.is_some_and(|b| action(b).is_some());
            !named && !undone
        })
        .filter_map(|(i, w)| Some((i, action(w)?)))
        .collect()
}

#[cfg(test)]
#[path = "answer_action_tests.rs"]
mod tests;
