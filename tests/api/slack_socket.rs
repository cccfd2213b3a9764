//! Slack's delivery guarantees end to end against the fake Slack: redelivered envelopes, a socket
//! dropped mid-burst, Slack's disconnect, a silent socket, and 429s on a fifth of calls.

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
