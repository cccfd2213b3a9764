//! How Discord's answers are read: ids, 429 waits from the body and the headers, global limits,
//! exhausted buckets and failures.

use super::*;

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(*k, v.parse().expect("header value"));
    }
    h
}

#[test]
fn a_429_waits_as_long_as_the_longest_ask() {
    let body = r#"{"message": "You are being rate limited.", "retry_after": 2.5, "global": false}"#;
    let v = verdict(
        StatusCode::TOO_MANY_REQUESTS,
        &headers(&[("retry-after", "1")]),
        body,
    );
    assert_eq!(
        v,
        Verdict::Limited {
            wait_ms: 2500,
            global: false
        }
    );
    let v = verdict(
        StatusCode::TOO_MANY_REQUESTS,
        &headers(&[("retry-after", "3"), ("x-ratelimit-scope", "global")]),
        "not json",
    );
    assert_eq!(
        v,
        Verdict::Limited {
            wait_ms: 3000,
            global: true
        }
    );
    let body = r#"{"message": "You are being rate limited.", "retry_after": 0.25, "global": true}"#;
    let v = verdict(StatusCode::TOO_MANY_REQUESTS, &HeaderMap::new(), body);
    assert_eq!(
        v,
        Verdict::Limited {
            wait_ms: 250,
            global: true
        }
    );
    let v = verdict(StatusCode::TOO_MANY_REQUESTS, &HeaderMap::new(), "");
    assert_eq!(
        v,
        Verdict::Limited {
            wait_ms: DEFAULT_WAIT_MS,
            global: false
        }
    );
}

#[test]
fn a_success_names_the_message_and_an_empty_bucket() {
    let h = headers(&[
        ("x-ratelimit-remaining", "0"),
        ("x-ratelimit-reset-after", "0.75"),
    ]);
    assert_eq!(
        verdict(StatusCode::OK, &h, r#"{"id": "42"}"#),
        Verdict::Ok {
            empty_ms: Some(750)
        }
    );
    let h = headers(&[
        ("x-ratelimit-remaining", "4"),
        ("x-ratelimit-reset-after", "0.75"),
    ]);
    assert_eq!(
        verdict(StatusCode::OK, &h, r#"{"id": "42"}"#),
        Verdict::Ok { empty_ms: None }
    );
    assert_eq!(message_id(r#"{"id": "42"}"#), Ok("42".to_string()));
    assert!(matches!(message_id("{}"), Err(SendError::Permanent(_))));
}

#[test]
fn failures_are_sorted_into_retry_classes() {
    let body = r#"{"code": 10003, "message": "Unknown Channel"}"#;
    match verdict(StatusCode::NOT_FOUND, &HeaderMap::new(), body) {
        Verdict::Failed(SendError::Permanent(e)) => {
            assert!(
                e.contains("404") && e.contains("10003") && e.contains("Unknown Channel"),
                "{e}"
            )
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        verdict(StatusCode::BAD_GATEWAY, &HeaderMap::new(), "<html>"),
        Verdict::Failed(SendError::Transient(_))
    ));
}

#[test]
fn a_held_channel_waits_without_a_call() {
    let rest = Rest::new("http://127.0.0.1:9", &Secret::from("t".to_string()));
    assert_eq!(rest.auth.expose_secret(), "Bot t");
    rest.hold(7, 10_000);
    assert_eq!(rest.held(7, 9_000), Some(1000));
    assert_eq!(rest.held(8, 9_000), None);
    rest.hold(0, 12_000); // global
    assert_eq!(rest.held(8, 9_000), Some(3000));
    assert_eq!(rest.held(7, 12_000), None);
}
