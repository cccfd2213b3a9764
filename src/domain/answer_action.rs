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
/// thing after its action (*Switch from monthly to annual billing*) is about the action.
fn another_thing(question: &str, hit: &KbHit) -> bool {
    let heading = words(hit.title.rsplit(" › ").next().unwrap_or(&hit.title));
    let Some(does) = heading.first().and_then(|w| action(w)) else {
        return false;
    };
    let q = words(question);
    let Some(at) = q.iter().position(|w| action(w) == Some(does)) else {
        return false;
    };
    let (thing, its) = (thing_after(&q[at + 1..]), thing_after(&heading[1..]));
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
        && thing.iter().any(|w| hit.elsewhere.contains(w))
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
    let asked = asked_actions(&words(question));
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

/// The kinds of action a question asks for. An action's word is no ask where it names a thing
/// (after an article: "revoke *an invite*") or the deed another action undoes or stops ("undo
/// *removing* a member"): the ask there is the action before it.
fn asked_actions(q: &[String]) -> Vec<usize> {
    q.iter()
        .enumerate()
        .filter(|(i, w)| {
            let before = i.checked_sub(1).map(|j| q[j].as_str());
            let named = before.is_some_and(|b| ARTICLES.contains(&b));
            let undone = w.ends_with("ing") && before.is_some_and(|b| action(b).is_some());
            !named && !undone
        })
        .filter_map(|(_, w)| action(w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAUSE: &str = "Changing your plan › Pause your subscription";
    const PAUSE_TEXT: &str = "You can pause a monthly subscription for up to three months under \
                              Settings → Billing → Pause.";

    #[test]
    fn another_action_on_the_same_thing_is_no_answer() {
        assert!(another_action(
            "how do I cancel my subscription",
            PAUSE,
            PAUSE_TEXT
        ));
        let key = "Admins create keys under Settings → API → New key. Revoke a key from the same \
                   page at any time.";
        assert!(another_action(
            "how do i export my api keys",
            "API keys › Generate an API key",
            key
        ));
        assert!(another_action(
            "how do i remove my credit card from the account",
            "Payments › Update your credit card",
            "Owners update the card under Settings → Billing → Payment method → Replace card."
        ));
    }

    #[test]
    fn an_actions_word_that_names_a_thing_is_no_ask() {
        let invite = "Team members and roles › Invite a teammate";
        let invite_text = "Owners and admins invite people from Settings → Team → Invite. \
                           Invitations expire after 7 days; resend them from the same page.";
        assert!(another_action(
            "how do i revoke an invite i sent by mistake",
            invite,
            invite_text
        ));
        assert!(!another_action(
            "how do i invite a teammate",
            invite,
            invite_text
        ));
        assert!(!another_action("where is my invite", invite, invite_text));
        let remove = "Team members and roles › Remove a member";
        let remove_text = "Settings → Team, open the member's menu and choose Remove.";
        assert!(another_action(
            "can i undo removing a member",
            remove,
            remove_text
        ));
        assert!(!another_action(
            "how do i remove a member",
            remove,
            remove_text
        ));
    }

    #[test]
    fn the_same_action_in_other_words_is_the_answer() {
        assert!(!another_action(
            "can we pause our subscription for a couple of months?",
            PAUSE,
            PAUSE_TEXT
        ));
        assert!(!another_action(
            "how do i get rid of the slack app",
            "Slack integration › Disconnect Slack",
            "Settings → Integrations → Slack → Disconnect."
        ));
        // The section speaks of the action the question names, though its heading does another.
        assert!(!another_action(
            "how do i add a chart to a dashboard",
            "Getting started › Build a dashboard",
            "Open Dashboards → New, then add charts from your sources."
        ));
        // A story's other verbs do not count against a heading the question names.
        assert!(!another_action(
            "we changed our company name. can i rename the workspace?",
            "Account settings › Rename your workspace",
            "Owners rename the workspace under Settings → Workspace → Name."
        ));
        // A heading that names no action, and a question that names none.
        assert!(!another_action(
            "can i turn off two factor",
            "Passwords › Two-factor authentication",
            "Turn on two-factor authentication under Settings → Security."
        ));
        assert!(!another_action("where are my invoices", PAUSE, PAUSE_TEXT));
    }

    fn hit(title: &str, text: &str, elsewhere: &[&str]) -> KbHit {
        KbHit {
            id: "s".into(),
            title: title.into(),
            link: String::new(),
            text: text.into(),
            tags: vec![],
            score: 10.0,
            coverage: 0.8,
            similarity: 0.5,
            lexical_rank: 0,
            semantic_rank: Some(0),
            heading_words: 1,
            elsewhere: elsewhere.iter().map(|w| w.to_string()).collect(),
        }
    }

    #[test]
    fn the_same_action_on_another_thing_the_docs_know_is_no_answer() {
        let rename = hit(
            "Account settings › Rename your workspace",
            "Owners rename the workspace under Settings → Workspace → Name.",
            &["dashboard"],
        );
        assert!(does_something_else("can i rename a dashboard", &rename));
        assert!(!does_something_else("can i rename our workspace?", &rename));
        let pause = hit(PAUSE, PAUSE_TEXT, &["scheduled", "report"]);
        assert!(does_something_else(
            "can i pause a scheduled report",
            &pause
        ));
        // A thing the docs never name may be the section's in other words.
        let invite = hit(
            "Team › Invite a teammate",
            "Owners invite people from Settings → Team → Invite.",
            &["workspace"],
        );
        assert!(!does_something_else(
            "how do i invite a coworker to our workspace?",
            &invite
        ));
        // One word of the thing in the section is enough: "a mysql database" and "a database".
        let connect = hit(
            "Getting started › Connect your first data source",
            "Open Data → Sources → Add source and choose a database or a spreadsheet.",
            &["mysql"],
        );
        assert!(!does_something_else(
            "can i connect a mysql database",
            &connect
        ));
        // A heading that names no thing after its action is about the action.
        let switch = hit(
            "Changing your plan › Switch from monthly to annual billing",
            "Settings → Billing → Billing period.",
            &["subscription"],
        );
        assert!(!does_something_else(
            "can I switch our subscription from monthly to annual billing?",
            &switch
        ));
        // "hook it up": a particle is not the thing.
        let github = hit("GitHub › Connect GitHub", "Install the app.", &["up"]);
        assert!(!does_something_else(
            "how do i hook it up, and can i only give it access",
            &github
        ));
    }

    #[test]
    fn verbs_are_read_in_their_forms_and_only_as_verbs() {
        for (w, base) in [
            ("cancelled", "cancel"),
            ("canceling", "cancel"),
            ("removing", "remove"),
            ("invites", "invite"),
            ("deletion", "delete"),
            ("archiving", "archive"),
        ] {
            assert!(is_form_of(w, base), "{w}");
        }
        for (w, base) in [
            ("address", "add"),
            ("printer", "print"),
            ("changelog", "change"),
        ] {
            assert!(!is_form_of(w, base), "{w}");
        }
        assert_eq!(action("signature"), None);
    }
}
