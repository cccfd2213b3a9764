//! Sign-off end to end through the pipeline: requests, impostors, self-approval, quorum, double and
//! concurrent clicks, denial with a reason, the expiry warning and expiry, and runbooks that succeed or
//! fail — each refused or executed exactly once, with the card right every time. Runs on every backend.

use crate::support::{self, chat::RecordingChat};
use opsdesk::config::{RunbookSettings, Settings};
use opsdesk::domain::ports::*;
use opsdesk::domain::{Approval, ApprovalState, Event, EventKind, Platform};
use opsdesk::pipeline::{Handled, Pipeline};
use opsdesk::sender::Sender;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub(crate) static SEQ: AtomicUsize = AtomicUsize::new(0);
pub(crate) const HOUR: i64 = 3_600_000;

pub(crate) struct Rig {
    pub(crate) p: Pipeline,
    pub(crate) chat: Arc<RecordingChat>,
    pub(crate) sender: Sender,
    pub(crate) ran: std::path::PathBuf,
    pub(crate) _dir: tempfile::TempDir,
}

pub(crate) fn settings(dir: &Path, quorum: u32) -> Settings {
    let mut s = support::settings();
    s.approvals.approvers = vec![
        "slack:UBOSS".into(),
        "slack:UCTO".into(),
        "slack:UDEV".into(),
        "slack:group:SOPS".into(),
    ];
    s.approvals.quorum = quorum;
    s.ops.allowed_users = vec!["slack:UDEV".into(), "slack:UDEV2".into()];
    s.approvals.expires_after_mins = 120;
    s.approvals.warn_before_mins = 30;
    let ran = dir.join("ran.log");
    let rb = |script: String| RunbookSettings {
        description: "restart the API".into(),
        argv: vec!["sh".into(), "-c".into(), script],
        timeout_secs: 10,
    };
    s.runbooks.insert(
        "restart-api".into(),
        rb(format!(
            "echo restarted >> {}; echo restarted",
            ran.display()
        )),
    );
    s.runbooks.insert(
        "purge-cache".into(),
        rb("echo 'cache: permission denied' >&2; exit 2".into()),
    );
    s
}

pub(crate) async fn rig(store: Arc<dyn Store>, quorum: u32) -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let s = settings(dir.path(), quorum);
    let p = support::pipeline_with(store.clone(), s).await;
    let chat = Arc::new(RecordingChat::new(Platform::Slack));
    let mut platforms: HashMap<Platform, Arc<dyn ChatPlatform>> = HashMap::new();
    platforms.insert(Platform::Slack, chat.clone());
    Rig {
        p,
        chat,
        sender: Sender::new(store, platforms, "t"),
        ran: dir.path().join("ran.log"),
        _dir: dir,
    }
}

pub(crate) fn event(user: &str, roles: &[&str], kind: EventKind) -> Event {
    Event {
        platform: Platform::Slack,
        id: format!("ev{}", SEQ.fetch_add(1, Ordering::SeqCst)),
        channel: "COPS".into(),
        thread: None,
        user: user.into(),
        user_name: None,
        roles: roles.iter().map(|r| r.to_string()).collect(),
        interaction: None,
        at: 0,
        kind,
    }
}

pub(crate) fn ops(user: &str, args: &str) -> Event {
    event(
        user,
        &[],
        EventKind::CommandInvoked {
            name: "ops".into(),
            args: args.into(),
        },
    )
}

pub(crate) fn click(
    user: &str,
    roles: &[&str],
    action: &str,
    id: i64,
    input: Option<&str>,
) -> Event {
    event(
        user,
        roles,
        EventKind::ButtonClicked {
            action: action.into(),
            value: id.to_string(),
            message: "card".into(),
            input: input.map(String::from),
        },
    )
}

impl Rig {
    pub(crate) async fn request(&self, runbook: &str, now: i64) -> Approval {
        assert!(matches!(
            self.p
                .handle(
                    ops("UDEV", &format!("runbook {runbook} the API is stuck")),
                    now
                )
                .await
                .unwrap(),
            Handled::Done(_)
        ));
        self.p
            .store
            .approvals(&[ApprovalState::Pending], 10)
            .await
            .unwrap()
            .into_iter()
            .next()
            .expect("a pending request")
    }

    pub(crate) async fn approval(&self, id: i64) -> Approval {
        self.p.store.approval(id).await.unwrap().unwrap()
    }

    /// Delivers the outbox; returns the texts of everything sent so far (cards as plain text). Runs
    /// record their results at the wall clock's time, so delivery looks far ahead of the test's clock.
    pub(crate) async fn delivered(&self, _now: i64) -> Vec<(String, String)> {
        while self.sender.tick(i64::MAX / 4).await.unwrap() > 0 {}
        self.chat
            .sent()
            .iter()
            .map(|s| {
                let op = match &s.msg.op {
                    OutboundOp::Post => "post".to_string(),
                    OutboundOp::Update { .. } => "edit".to_string(),
                    OutboundOp::Ephemeral { user, .. } => format!("private:{user}"),
                };
                (op, s.msg.reply.plain())
            })
            .collect()
    }

    /// Waits until the approved action has finished running (the click spawned it; a direct call may
    /// have lost the race to start it).
    pub(crate) async fn finished(&self, id: i64) -> Approval {
        support::finished(&self.p, id).await
    }

    pub(crate) fn runs(&self) -> usize {
        std::fs::read_to_string(&self.ran)
            .map(|s| s.lines().count())
            .unwrap_or(0)
    }
}

/// The card as it stands: its last edit, or the card as first posted.
pub(crate) fn last_card(sent: &[(String, String)]) -> String {
    sent.iter()
        .rev()
        .find(|(op, _)| op == "edit")
        .or_else(|| sent.iter().find(|(op, _)| op == "post"))
        .map(|(_, t)| t.clone())
        .unwrap_or_default()
}

pub(crate) fn privately(sent: &[(String, String)], user: &str) -> Vec<String> {
    sent.iter()
        .filter(|(op, _)| *op == format!("private:{user}"))
        .map(|(_, t)| t.clone())
        .collect()
}

#[tokio::test]
async fn impostors_and_self_approval_are_refused_and_an_approver_runs_it_once() {
    for db in support::backends().await {
        let r = rig(Arc::new(db.store.clone()), 1).await;
        let a = r.request("restart-api", 1000).await;
        let sent = r.delivered(1000).await;
        assert!(
            last_card(&sent)
                .starts_with("🔐 Sign-off needed: runbook restart-api: restart the API"),
            "{sent:?}"
        );
        assert!(privately(&sent, "UDEV")[0].contains(&format!("request #{}", a.id)));

        r.p.handle(
            click("UINTRUDER", &[], "approval.approve", a.id, None),
            2000,
        )
        .await
        .unwrap();
        r.p.handle(click("UDEV", &[], "approval.approve", a.id, None), 2001)
            .await
            .unwrap();
        let sent = r.delivered(2001).await;
        assert!(
            privately(&sent, "UINTRUDER")[0].starts_with("You are not an approver"),
            "{sent:?}"
        );
        assert!(
            privately(&sent, "UDEV")
                .last()
                .unwrap()
                .contains("someone else has to approve")
        );
        assert_eq!(r.approval(a.id).await.state, ApprovalState::Pending);

        r.p.handle(click("UCTO", &[], "approval.approve", a.id, None), 3000)
            .await
            .unwrap();
        r.p.handle(click("UBOSS", &[], "approval.approve", a.id, None), 3001)
            .await
            .unwrap();
        let done = r.finished(a.id).await;
        assert_eq!(
            (done.state, done.decided_by.as_deref()),
            (ApprovalState::Executed, Some("slack:UCTO"))
        );
        assert_eq!(r.runs(), 1, "executed exactly once");
        let sent = r.delivered(3001).await;
        let late = &privately(&sent, "UBOSS")[0];
        assert!(
            late.starts_with("Too late: request") && late.ends_with("by slack:UCTO."),
            "{late}"
        );
        let card = last_card(&sent);
        assert!(
            card.starts_with("✅ Done: runbook restart-api")
                && card.contains("exit 0")
                && card.contains("restarted"),
            "{card}"
        );
        assert!(
            sent.iter()
                .any(|(op, t)| op == "post" && t.contains("was approved and ✅ done")),
            "the requester hears back: {sent:?}"
        );
        every_step_is_audited(&r).await;
        db.cleanup().await;
    }
}

async fn every_step_is_audited(r: &Rig) {
    let audit: Vec<String> =
        r.p.store
            .audit_recent(20)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action.name().into_owned())
            .collect();
    for want in [
        "approval.requested",
        "approval.refused",
        "approval.approved",
        "approval.executing",
        "approval.executed",
        "approval.late",
    ] {
        assert!(audit.contains(&want.to_string()), "{want} in {audit:?}");
    }
}

#[tokio::test]
async fn quorum_two_shows_one_of_two_then_runs() {
    for db in support::backends().await {
        let r = rig(Arc::new(db.store.clone()), 2).await;
        let a = r.request("restart-api", 0).await;
        r.p.handle(click("UCTO", &[], "approval.approve", a.id, None), 10)
            .await
            .unwrap();
        r.p.handle(click("UCTO", &[], "approval.approve", a.id, None), 11)
            .await
            .unwrap();
        let sent = r.delivered(11).await;
        assert!(
            last_card(&sent).contains("Approvals: 1 of 2 (slack:UCTO)"),
            "{sent:?}"
        );
        assert!(
            privately(&sent, "UCTO")[1].contains("already counted"),
            "a double click counts once"
        );
        assert_eq!(r.runs(), 0);
        r.p.handle(
            click("UANYONE", &["group:SOPS"], "approval.approve", a.id, None),
            12,
        )
        .await
        .unwrap();
        r.finished(a.id).await;
        assert_eq!(r.runs(), 1);
        assert!(last_card(&r.delivered(12).await).contains("2 of 2 (slack:UCTO, slack:UANYONE)"));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn two_concurrent_clicks_execute_once_and_the_loser_hears_who_won() {
    for db in support::backends().await {
        let r = Arc::new(rig(Arc::new(db.store.clone()), 1).await);
        let a = r.request("restart-api", 0).await;
        let (r1, r2) = (r.clone(), r.clone());
        let t1 = tokio::spawn(async move {
            r1.p.handle(click("UCTO", &[], "approval.approve", a.id, None), 10)
                .await
                .unwrap()
        });
        let t2 = tokio::spawn(async move {
            r2.p.handle(click("UBOSS", &[], "approval.approve", a.id, None), 10)
                .await
                .unwrap()
        });
        t1.await.unwrap();
        t2.await.unwrap();
        r.finished(a.id).await;
        assert_eq!(r.runs(), 1);
        let done = r.approval(a.id).await;
        let winner = done.decided_by.clone().unwrap();
        let loser = if winner == "slack:UCTO" {
            "UBOSS"
        } else {
            "UCTO"
        };
        let sent = r.delivered(10).await;
        assert!(
            privately(&sent, loser)[0].contains(&format!("by {winner}")),
            "{sent:?}"
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn deny_takes_a_reason_back_to_the_requester() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone()), 1).await;
    let a = r.request("restart-api", 0).await;
    r.p.handle(
        click(
            "UBOSS",
            &[],
            "approval.deny",
            a.id,
            Some("not during the launch"),
        ),
        10,
    )
    .await
    .unwrap();
    let sent = r.delivered(10).await;
    let card = last_card(&sent);
    assert!(
        card.starts_with("❌ Denied")
            && card.contains("Denied by: slack:UBOSS: not during the launch"),
        "{card}"
    );
    assert!(
        sent.iter().any(|(op, t)| op == "post"
            && t.contains("was denied by slack:UBOSS: not during the launch"))
    );
    assert_eq!(r.runs(), 0);
    let deny_button = r.chat.sent()[0].msg.reply.buttons()[1].clone();
    assert_eq!(
        deny_button.asks.as_deref(),
        Some("Why deny this request?"),
        "Deny asks for a reason (a modal on Slack and Discord)"
    );
}
