//! Real Slack payloads (tests/fixtures/slack, see SOURCE.md) through slack-morphism's types and opsdesk's
//! normalisation: what must become an event does, with the right fields; what must be ignored is.

use opsdesk::chat::slack::BotIdentity;
use opsdesk::chat::slack::inbound::{from_block_actions, from_command, from_push, skip_reason};
use opsdesk::domain::{Event, EventKind};
use serde_json::Value;
use slack_morphism::prelude::*;
use std::path::PathBuf;

fn dir(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/slack")
        .join(sub)
}

fn json(sub: &str, name: &str) -> Value {
    let text =
        std::fs::read_to_string(dir(sub).join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The bolt mention fixtures address the bot as W111 (their `authorizations`); in the plain message
/// fixtures W111 is the person talking, so there the bot is someone else.
fn me() -> BotIdentity {
    BotIdentity {
        user_id: "W111".into(),
        bot_id: Some("B111".into()),
    }
}

fn other_bot() -> BotIdentity {
    BotIdentity {
        user_id: "UBOT".into(),
        bot_id: Some("BBOT".into()),
    }
}

fn push_as(name: &str, bot: &BotIdentity) -> Option<Event> {
    let cb: SlackPushEventCallback =
        serde_json::from_value(json("bolt", name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    from_push(&cb, bot, 0)
}

fn push(name: &str) -> Option<Event> {
    push_as(name, &other_bot())
}

fn said(ev: &Event) -> (&str, bool) {
    match &ev.kind {
        EventKind::MessagePosted { text, mentioned } => (text.as_str(), *mentioned),
        other => panic!("not a message: {other:?}"),
    }
}

#[test]
fn people_talking_become_message_events() {
    let ev = push("test_message__message_body.json").expect("a plain message");
    assert_eq!(
        (
            ev.channel.as_str(),
            ev.id.as_str(),
            ev.user.as_str(),
            ev.thread.as_deref()
        ),
        ("C111", "1596183880.004200", "W111", None)
    );
    assert_eq!(said(&ev), ("Hello World!", false));
    for name in [
        "test_message__message_body2.json",
        "test_message__message_body3.json",
    ] {
        assert!(push(name).is_some(), "{name}");
    }
    let shared = push("test_events__message_file_share_body.json")
        .expect("a message with a file is still a message");
    assert_eq!(said(&shared).0, "Here is your file!");
    let broadcast = push("test_message_thread_broadcast__event_payload.json")
        .expect("a reply also sent to the channel");
    assert_eq!(broadcast.thread.as_deref(), Some("1633663824.000500"));
}

#[test]
fn mentions_are_marked_and_stripped() {
    for name in [
        "test_app__app_mention_event_body.json",
        "test_app_bot_only__app_mention_request_body.json",
    ] {
        let ev = push_as(name, &me()).expect(name);
        assert_eq!(said(&ev), ("Hi there!", true), "{name}");
        assert_eq!(ev.id, "1595926230.009600");
    }
}

#[test]
fn bots_edits_deletions_and_other_events_are_ignored() {
    for name in [
        "test_message_bot__bot_message_event_payload.json",
        "test_message_bot__classic_bot_message_event_payload.json",
        "test_events_ignore_self__response_url_message_event.json",
        "test_message_changed__event_payload.json",
        "test_message_deleted__event_payload.json",
        "test_events__join_event_body.json",
        "test_events_socket_mode__event_body.json",
    ] {
        assert_eq!(push(name), None, "{name}");
    }
    // The bot's own user posting (W111 in these fixtures) is ignored too.
    let mut own = json("bolt", "test_message__message_body.json");
    own["event"]["user"] = "W111".into();
    let cb: SlackPushEventCallback = serde_json::from_value(own).unwrap();
    assert_eq!(from_push(&cb, &me(), 0), None);
}

#[test]
fn button_clicks_name_the_card_action_and_value() {
    for name in [
        "test_block_actions__body.json",
        "test_authorize__block_actions_body.json",
    ] {
        let ev: SlackInteractionEvent =
            serde_json::from_value(json("bolt", name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let SlackInteractionEvent::BlockActions(ba) = ev else {
            panic!("{name}: not block actions")
        };
        let ev = from_block_actions(&ba, 0).expect(name);
        assert_eq!(ev.channel, "C111");
        match &ev.kind {
            EventKind::ButtonClicked { message, .. } => assert_eq!(message, "111.222"),
            other => panic!("{other:?}"),
        }
    }
    let ev: SlackInteractionEvent =
        serde_json::from_value(json("bolt", "test_block_actions__body.json")).unwrap();
    let SlackInteractionEvent::BlockActions(ba) = ev else {
        unreachable!()
    };
    let ev = from_block_actions(&ba, 0).unwrap();
    assert_eq!(ev.user, "W111");
    assert_eq!(ev.user_name.as_deref(), Some("primary-owner"));
    assert_eq!(
        ev.kind,
        EventKind::ButtonClicked {
            action: "a".into(),
            value: "click_me_123".into(),
            message: "111.222".into(),
            input: None
        }
    );
}

#[test]
fn the_url_encoded_slash_command_parses() {
    let body =
        std::fs::read(dir("bolt").join("test_slash_command__slash_command_body.urlencoded.txt"))
            .unwrap();
    let map: serde_json::Map<String, Value> = form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
        .collect();
    let cmd: SlackCommandEvent = serde_json::from_value(Value::Object(map)).unwrap();
    let ev = from_command(&cmd, 0);
    assert_eq!(
        ev.kind,
        EventKind::CommandInvoked {
            name: "hello-world".into(),
            args: "Hi".into()
        }
    );
    assert_eq!(
        (ev.channel.as_str(), ev.user.as_str(), ev.id.as_str()),
        ("C111", "W111", "111.111.xxx")
    );
}

#[test]
fn view_submissions_deserialize() {
    let ev: SlackInteractionEvent =
        serde_json::from_value(json("bolt", "test_view_submission__body.json")).unwrap();
    assert!(matches!(ev, SlackInteractionEvent::ViewSubmission(_)));
}

/// Every event shape sample (all fields present, strings blank) deserializes into slack-morphism's
/// types, and every message subtype other than a plain message, a file share or a thread broadcast is
/// ignored.
#[test]
fn every_event_shape_sample_deserializes() {
    let mut seen = 0;
    for entry in std::fs::read_dir(dir("shapes")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let v = json("shapes", &name);
        let subtype = v["event"]["subtype"].as_str().unwrap_or("").to_string();
        let cb: SlackPushEventCallback =
            serde_json::from_value(v).unwrap_or_else(|e| panic!("{name}: {e}"));
        let ev = from_push(
            &cb,
            &BotIdentity {
                user_id: "UBOT".into(),
                bot_id: None,
            },
            0,
        );
        if !matches!(subtype.as_str(), "" | "file_share" | "thread_broadcast") {
            assert_eq!(ev, None, "{name} (subtype {subtype}) must be ignored");
        }
        seen += 1;
    }
    assert!(seen >= 19, "only {seen} shape samples found");
}

/// What is left out says why, by the event's own type: a join or a reaction is an event type opsdesk
/// does not use; an edit or a bot's post is a message that is not a person talking.
#[test]
fn skipped_events_are_named_by_reason_and_type() {
    let reason = |name: &str| {
        let cb: SlackPushEventCallback =
            serde_json::from_value(json("bolt", name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(from_push(&cb, &other_bot(), 0), None, "{name}");
        skip_reason(&cb)
    };
    assert_eq!(
        reason("test_events__join_event_body.json"),
        ("event_type", "member_joined_channel".to_string())
    );
    assert_eq!(
        reason("test_events_socket_mode__event_body.json"),
        ("event_type", "reaction_added".to_string())
    );
    assert_eq!(
        reason("test_message_changed__event_payload.json"),
        ("not_a_person", "message".to_string())
    );
    assert_eq!(
        reason("test_message_bot__bot_message_event_payload.json").0,
        "not_a_person"
    );
}
