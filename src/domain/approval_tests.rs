//! Unit tests for the approval rules: who may vote, quorum, self-approval, expiry and its warning.

use super::*;

fn policy(quorum: u32, allow_self: bool) -> ApprovalPolicy {
    ApprovalPolicy {
        approvers: vec![
            "slack:UBOSS".into(),
            "slack:UCTO".into(),
            "slack:group:SOPS".into(),
            "discord:role:77".into(),
        ],
        quorum,
        allow_self,
        ttl_ms: 1000,
        warn_before_ms: 200,
    }
}

fn approval(quorum: u32, allow_self: bool) -> Approval {
    Approval {
        id: 1,
        kind: super::ApprovalKind::Runbook,
        params: "{}".into(),
        action_hash: "h".into(),
        summary: "restart api".into(),
        reason: "stuck".into(),
        requested_by: "slack:UBOSS".into(),
        platform: Platform::Slack,
        channel: "C1".into(),
        thread: None,
        card: None,
        state: ApprovalState::Pending,
        approved_by: vec![],
        decided_by: None,
        deny_reason: None,
        quorum,
        allow_self,
        expires_at: 1000,
        warn_at: 800,
        warned: false,
        result: None,
        created_at: 0,
        updated_at: 0,
        version: 0,
    }
}

#[test]
fn impostors_and_self_approval_are_refused() {
    let (p, mut a) = (policy(1, false), approval(1, false));
    assert_eq!(
        a.vote(&p, Platform::Slack, "UINTRUDER", &[], Vote::Approve, 10),
        VoteOutcome::NotAnApprover
    );
    assert_eq!(
        a.vote(&p, Platform::Discord, "UCTO", &[], Vote::Approve, 10),
        VoteOutcome::NotAnApprover,
        "same id, other platform"
    );
    assert_eq!(
        a.vote(&p, Platform::Slack, "UBOSS", &[], Vote::Approve, 10),
        VoteOutcome::OwnRequest
    );
    assert_eq!(a.state, ApprovalState::Pending);
    assert_eq!(
        a.vote(
            &p,
            Platform::Slack,
            "UANY",
            &["group:SOPS".into()],
            Vote::Approve,
            10
        ),
        VoteOutcome::Approved,
        "a group member"
    );
    assert_eq!(a.decided_by.as_deref(), Some("slack:UANY"));
    let mut own = approval(1, true);
    assert_eq!(
        own.vote(&p, Platform::Slack, "UBOSS", &[], Vote::Approve, 10),
        VoteOutcome::Approved,
        "allowed by policy"
    );
}

#[test]
fn quorum_counts_distinct_approvers() {
    let (p, mut a) = (policy(2, false), approval(2, false));
    assert_eq!(
        a.vote(&p, Platform::Slack, "UCTO", &[], Vote::Approve, 10),
        VoteOutcome::Counted { have: 1, need: 2 }
    );
    assert_eq!(
        a.vote(&p, Platform::Slack, "UCTO", &[], Vote::Approve, 11),
        VoteOutcome::AlreadyVoted
    );
    assert_eq!(
        a.vote(
            &p,
            Platform::Slack,
            "UX",
            &["group:SOPS".into()],
            Vote::Approve,
            12
        ),
        VoteOutcome::Approved
    );
    assert_eq!(a.approved_by, ["slack:UCTO", "slack:UX"]);
    assert_eq!(
        a.vote(&p, Platform::Slack, "UBOSS", &[], Vote::Deny(None), 13),
        VoteOutcome::AlreadyDecided {
            state: ApprovalState::Approved,
            by: Some("slack:UX".into())
        }
    );
}

#[test]
fn deny_keeps_the_reason_and_ends_the_request() {
    let (p, mut a) = (policy(2, false), approval(2, false));
    assert_eq!(
        a.vote(
            &p,
            Platform::Slack,
            "UCTO",
            &[],
            Vote::Deny(Some("not during peak".into())),
            10
        ),
        VoteOutcome::Denied
    );
    assert_eq!(
        (a.state, a.deny_reason.as_deref()),
        (ApprovalState::Denied, Some("not during peak"))
    );
    assert!(matches!(
        a.vote(
            &p,
            Platform::Slack,
            "UX",
            &["group:SOPS".into()],
            Vote::Approve,
            11
        ),
        VoteOutcome::AlreadyDecided { .. }
    ));
}

#[test]
fn the_clock_warns_once_then_expires_and_late_clicks_are_refused() {
    let (p, mut a) = (policy(1, false), approval(1, false));
    assert_eq!(a.tick(799), None);
    assert_eq!(a.tick(800), Some(Tick::Warn));
    assert_eq!(a.tick(900), None, "warned once");
    assert_eq!(a.tick(1000), Some(Tick::Expire));
    assert_eq!(a.state, ApprovalState::Expired);
    assert!(matches!(
        a.vote(&p, Platform::Slack, "UCTO", &[], Vote::Approve, 1001),
        VoteOutcome::AlreadyDecided {
            state: ApprovalState::Expired,
            ..
        }
    ));
    let mut late = approval(1, false);
    assert_eq!(
        late.vote(&p, Platform::Slack, "UCTO", &[], Vote::Approve, 1000),
        VoteOutcome::Expired,
        "a click at expiry, before the clock ran"
    );
    assert_eq!(late.state, ApprovalState::Expired);
}

#[test]
fn execution_starts_once() {
    let (p, mut a) = (policy(1, false), approval(1, false));
    assert!(!a.start(5), "not approved yet");
    a.vote(&p, Platform::Slack, "UCTO", &[], Vote::Approve, 10);
    assert!(a.start(11));
    assert!(!a.start(12), "a second start is refused");
    a.finish(false, "exit 1: boom".into(), 13);
    assert_eq!(
        (a.state, a.result.as_deref()),
        (ApprovalState::Failed, Some("exit 1: boom"))
    );
}
