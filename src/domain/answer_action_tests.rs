//! Tests of `answer_action`: which actions and things a question asks, against a section's heading.

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
fn what_an_action_links_to_is_its_thing_known_to_the_docs_or_not() {
    let slack = hit(
        "Slack integration › Connect Slack",
        "Admins connect Slack under Settings → Integrations → Slack → Connect.",
        &[],
    );
    assert!(does_something_else("does it connect to jira?", &slack));
    assert!(does_something_else(
        "can tallybird integrate with hubspot",
        &hit("Zapier › Integrate Zapier", "Use a Zap.", &[])
    ));
    assert!(!does_something_else("how do i connect to slack", &slack));
    // "an invite" names a thing: what follows is no thing it links to.
    let invite = hit(
        "Team › Invite a teammate",
        "Owners invite people from Settings → Team → Invite. Invitations expire after 7 days.",
        &[],
    );
    assert!(!does_something_else(
        "sent an invite to a freelancer and it says the invitation expired",
        &invite
    ));
    assert!(!does_something_else(
        "how do i connect it with our slack workspace",
        &slack
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
