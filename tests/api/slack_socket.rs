//! Slack's delivery guarantees end to end against the fake Slack: redelivered envelopes, a socket
//! dropped mid-burst, Slack's disconnect, a silent socket, 429s on a fifth of calls, and events left out.

use crate::support::slack::FakeSlack;

use super::slack::{COMMUNITY, QUESTION, rig, rig_with};

#[tokio::test]
async fn a_redelivered_event_is_answered_once() {
    let r = rig().await;
    let ev = FakeSlack::message("Ev7", COMMUNITY, "UCUST", "300.000001", None, QUESTION);
    r.fake.push("events_api", ev.clone());
    r.fake.redeliver("events_api", ev.clone(), 1);
    r.fake.redeliver("events_api", ev, 2);
    r.fake
        .wait_until("three acks", |f| f.acks().len() >= 3)
        .await;
    r.settle().await;
    assert_eq!(r.replies_in(COMMUNITY, "300.000001").len(), 1);
    r.rt.stop().await;
}

#[tokio::test]
async fn a_socket_dropped_mid_burst_loses_and_repeats_nothing() {
    let r = rig().await;
    for i in 0..200 {
        if i == 100 {
            r.fake.drop_socket();
        }
        r.fake.push(
            "events_api",
            FakeSlack::message(
                &format!("Ev{i}"),
                COMMUNITY,
                "UCUST",
                &format!("400.{i:06}"),
                None,
                QUESTION,
            ),
        );
    }
    r.fake
        .wait_until("a reconnect", |f| f.connections() >= 2)
        .await;
    r.settle().await;
    assert!(
        r.fake.redelivered() > 0,
        "the drop cut envelopes off before their ack"
    );
    for i in 0..200 {
        assert_eq!(
            r.replies_in(COMMUNITY, &format!("400.{i:06}")).len(),
            1,
            "message {i}"
        );
    }
    r.rt.stop().await;
}

#[tokio::test]
async fn slack_disconnect_message_reconnects() {
    let r = rig().await;
    r.fake.send_disconnect();
    r.fake
        .wait_until("a reconnect", |f| f.connections() >= 2)
        .await;
    r.fake.push(
        "events_api",
        FakeSlack::message("Ev9", COMMUNITY, "UCUST", "450.000001", None, QUESTION),
    );
    r.settle().await;
    assert_eq!(r.replies_in(COMMUNITY, "450.000001").len(), 1);
    r.rt.stop().await;
}

#[tokio::test]
async fn the_watchdog_reconnects_a_silent_socket() {
    let r = rig_with(|s| {
        s.slack.ping_interval_secs = 1;
        s.slack.ping_failures = 1;
    })
    .await;
    r.fake.mute_socket();
    r.fake.push(
        "events_api",
        FakeSlack::message("Ev10", COMMUNITY, "UCUST", "460.000001", None, QUESTION),
    );
    r.fake
        .wait_until("a reconnect after missed pongs", |f| f.connections() >= 2)
        .await;
    r.settle().await;
    assert_eq!(
        r.replies_in(COMMUNITY, "460.000001").len(),
        1,
        "the event pushed while silent arrives on the new socket"
    );
    r.rt.stop().await;
}

#[tokio::test]
async fn rate_limits_on_a_fifth_of_calls_lose_nothing_and_are_respected() {
    let r = rig().await;
    r.fake.rate_limit_every(5);
    for i in 0..30 {
        let channel = if i % 2 == 0 { COMMUNITY } else { "CCOMM2" };
        r.fake.push(
            "events_api",
            FakeSlack::message(
                &format!("Ev{i}"),
                channel,
                "UCUST",
                &format!("500.{i:06}"),
                None,
                QUESTION,
            ),
        );
    }
    r.settle().await;
    for i in 0..30 {
        let channel = if i % 2 == 0 { COMMUNITY } else { "CCOMM2" };
        assert_eq!(
            r.replies_in(channel, &format!("500.{i:06}")).len(),
            1,
            "message {i}"
        );
    }
    assert!(
        r.fake.calls().iter().filter(|c| c.status == 429).count() >= 5,
        "the fake did rate-limit"
    );
    assert_eq!(
        r.fake.violations(),
        Vec::<String>::new(),
        "nothing was sent to a channel before its Retry-After"
    );
    r.rt.stop().await;
}

/// The counted value of `series` in the process's metrics (0 before the first count).
fn counted(series: &str) -> f64 {
    crate::support::prom_value(&opsdesk::telemetry::metrics().render(), series).unwrap_or(0.0)
}

/// An event type opsdesk does not use and a message in a channel with no role are acknowledged, left
/// out and counted by why (other tests count too: the check is that each grew).
#[tokio::test]
async fn events_left_out_are_acked_and_counted_by_reason() {
    let r = rig().await;
    let by_type = r#"opsdesk_slack_events_skipped_total{reason="event_type"}"#;
    let no_role = r#"opsdesk_slack_events_skipped_total{reason="channel_without_role"}"#;
    let (types, roles) = (counted(by_type), counted(no_role));
    let mut reaction = FakeSlack::message("EvR1", COMMUNITY, "UCUST", "400.000001", None, "");
    reaction["event"] = serde_json::json!({"type": "reaction_added", "user": "UCUST", "reaction": "thumbsup",
        "item": {"type": "message", "channel": COMMUNITY, "ts": "300.000001"}, "event_ts": "400.000001"});
    r.fake.push("events_api", reaction);
    let elsewhere = FakeSlack::message("EvR2", "CRANDOM", "UCUST", "400.000002", None, QUESTION);
    r.fake.push("events_api", elsewhere);
    r.fake.wait_until("two acks", |f| f.acks().len() >= 2).await;
    r.settle().await;
    assert!(counted(by_type) > types, "the reaction was counted");
    assert!(
        counted(no_role) > roles,
        "the role-less channel's message was counted"
    );
    assert!(r.replies_in("CRANDOM", "400.000002").is_empty());
    r.rt.stop().await;
}
