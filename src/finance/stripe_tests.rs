//! Tests of Stripe webhooks: signatures (valid, wrong, stale, rolled secrets) and events into records.

use super::*;

#[test]
fn signatures_follow_stripes_scheme() {
    let body = br#"{"id":"evt_1"}"#;
    let h = sign(body, b"whsec_test", 1_700_000_000);
    assert_eq!(
        verify(Some(&h), body, b"whsec_test", 1_700_000_100, 300),
        Ok(())
    );
    assert_eq!(
        verify(Some(&h), body, b"whsec_other", 1_700_000_100, 300),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        verify(Some(&h), body, b"whsec_test", 1_700_000_400, 300),
        Err(SignatureError::Stale(400, 300))
    );
    assert_eq!(
        verify(None, body, b"whsec_test", 0, 300),
        Err(SignatureError::Missing)
    );
    assert_eq!(
        verify(
            Some("t=1700000000"),
            body,
            b"whsec_test",
            1_700_000_000,
            300
        ),
        Err(SignatureError::Malformed)
    );
    // Several v1 values (a secret being rolled): any match will do.
    let other = sign(body, b"whsec_old", 1_700_000_000);
    let both = format!("{},{}", other, h.split(',').nth(1).unwrap());
    assert_eq!(
        verify(Some(&both), body, b"whsec_test", 1_700_000_000, 300),
        Ok(())
    );
    assert_eq!(
        verify(Some(&both), body, b"whsec_old", 1_700_000_000, 300),
        Ok(())
    );
}

#[test]
fn bad_events_name_the_missing_field() {
    assert!(
        parse_event(b"{}")
            .unwrap_err()
            .to_string()
            .contains("missing field `created`")
    );
    assert!(
        parse_event(br#"{"id":"evt","type":"x","created":1}"#)
            .unwrap_err()
            .to_string()
            .contains("data.object")
    );
    let e = parse_event(
        br#"{"id":"evt","type":"invoice.paid","created":1,"data":{"object":{"id":"in_1"}}}"#,
    )
    .unwrap();
    assert!(
        records(&e)
            .unwrap_err()
            .to_string()
            .contains("invoice has no `customer`")
    );
    let e =
        parse_event(br#"{"id":"evt","type":"balance.available","created":1,"data":{"object":{}}}"#)
            .unwrap();
    assert!(
        records(&e).unwrap().is_empty(),
        "unknown types give no records"
    );
}
