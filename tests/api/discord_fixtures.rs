//! Discord's own payloads (tests/fixtures/discord, see SOURCE.md) through serenity's types and opsdesk's
//! normalisation. serenity drops a gateway payload it cannot parse without an error, so each kind
//! opsdesk handles is parsed here.

use opsdesk::chat::discord::inbound::{Place, from_command, from_message};
use opsdesk::domain::EventKind;
use serde_json::{Value, json};
use serenity::all::{GuildChannel, Interaction, Message, UserId};
use std::path::PathBuf;

fn fixture(name: &str) -> Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/discord")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{name}: {e}")))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn place() -> Place {
    Place {
        channel: "100".into(),
        thread: None,
    }
}

#[test]
fn message_create_payloads_parse_and_people_become_events() {
    for name in [
        "message_create_1.json",
        "message_create_2.json",
        "message_create_3.json",
        "message__01__example-message.json",
    ] {
        let m: Message =
            serde_json::from_value(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let ev = from_message(&m, place(), UserId::new(9000), 0);
        match (m.author.bot, ev) {
            (true, None) => {}
            (false, Some(ev)) => {
                assert_eq!(ev.id, m.id.to_string(), "{name}");
                assert!(matches!(ev.kind, EventKind::MessagePosted { .. }));
            }
            (bot, ev) => panic!("{name}: bot={bot} gave {ev:?}"),
        }
    }
    // The docs' example message, from a person, addressed to nobody in particular.
    let m: Message = serde_json::from_value(fixture("message__01__example-message.json")).unwrap();
    let ev = from_message(&m, place(), UserId::new(9000), 0).expect("a person's message");
    assert_eq!(
        ev.kind,
        EventKind::MessagePosted {
            text: m.content.clone(),
            mentioned: false
        }
    );
    // The same message mentioning the bot is marked, and the mention is taken out of the text.
    let mut v = fixture("message__01__example-message.json");
    v["content"] = json!("<@9000> where is my invoice?");
    v["mentions"] = json!([{"id": "9000", "username": "opsdesk", "discriminator": "0", "avatar": null, "bot": true}]);
    let m: Message = serde_json::from_value(v).unwrap();
    assert_eq!(
        from_message(&m, place(), UserId::new(9000), 0)
            .unwrap()
            .kind,
        EventKind::MessagePosted {
            text: "where is my invoice?".into(),
            mentioned: true
        }
    );
}

#[test]
fn thread_and_channel_payloads_parse() {
    for name in [
        "channel__07__example-thread-channel.json",
        "channel__01__example-guild-text-channel.json",
        "channel_create_1.json",
    ] {
        let c: GuildChannel =
            serde_json::from_value(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        if name.contains("thread") {
            assert!(
                c.parent_id.is_some() && c.thread_metadata.is_some(),
                "{name}"
            );
        }
    }
}

/// The docs' example interactions are abbreviated: they leave out fields Discord's API v10 sends today and
/// serenity 0.12.5 requires. Without them serenity would silently drop the interaction, so the fake
/// Discord always sends them; here they are added with the values Discord sends.
fn as_sent_today(mut v: Value) -> Value {
    let defaults = [
        ("application_id", json!("775799577604522054")),
        ("version", json!(1)),
        ("entitlements", json!([])),
        (
            "authorizing_integration_owners",
            json!({"0": "290926798626357999"}),
        ),
        ("context", json!(0)),
        ("attachment_size_limit", json!(26214400)),
    ];
    for (k, d) in defaults {
        if v.get(k).is_none() {
            v[k] = d;
        }
    }
    if v["member"].is_object() && v["member"].get("flags").is_none() {
        v["member"]["flags"] = json!(0);
    }
    v
}

#[test]
fn interaction_examples_parse_once_complete_and_commands_become_argument_lines() {
    for name in [
        "application-commands__03__example-interaction.json",
        "application-commands__09__example-interaction.json",
        "application-commands__11__example-interaction.json",
    ] {
        let raw = fixture(name);
        assert!(
            serde_json::from_value::<Interaction>(raw.clone()).is_err(),
            "{name}: the abbreviated example is dropped by serenity as is"
        );
        let i: Interaction =
            serde_json::from_value(as_sent_today(raw)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let Interaction::Command(c) = i else {
            panic!("{name}: not a command")
        };
        let ev = from_command(&c, place(), 0);
        assert!(
            ev.interaction
                .as_deref()
                .is_some_and(|h| h.starts_with("cmd:")),
            "{name}: the token is kept to answer privately"
        );
        if name.contains("__03__") {
            assert_eq!(
                ev.kind,
                EventKind::CommandInvoked {
                    name: "cardsearch".into(),
                    args: "--cardname The Gitrog Monster".into()
                }
            );
            assert_eq!(ev.roles, vec!["role:539082325061836999".to_string()]);
        }
    }
}
