//! Sign-off over time and after approval: warning then expiry (explicit clock values), a failing
//! runbook, one request per action with `/ops approvals` and the audit, and a signed webhook posted
//! once.

use crate::support;
use opsdesk::domain::ports::*;
use opsdesk::domain::{ApprovalState, Reply};
use std::sync::Arc;

use super::approvals::*;

#[tokio::test]
async fn the_clock_warns_then_expires_and_a_late_click_is_refused() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone()), 1).await;
    let a = r.request("restart-api", 0).await;
    assert_eq!(
        r.p.approvals_tick(HOUR).await.unwrap(),
        0,
        "nothing due an hour in"
    );
    assert_eq!(
        r.p.approvals_tick(90 * 60_000).await.unwrap(),
        1,
        "the warning, 30 minutes before"
    );
    let sent = r.delivered(90 * 60_000).await;
    assert!(last_card(&sent).contains("⏳ Expires in 30m"), "{sent:?}");
    assert!(
        sent.iter()
            .any(|(op, t)| op == "post" && t.contains("expires in 30m without sign-off"))
    );
    assert_eq!(
        r.p.approvals_tick(100 * 60_000).await.unwrap(),
        0,
        "warned once"
    );
    assert_eq!(r.p.approvals_tick(2 * HOUR).await.unwrap(), 1);
    let sent = r.delivered(2 * HOUR).await;
    assert!(last_card(&sent).starts_with("⌛ Expired"), "{sent:?}");
    r.p.handle(
        click("UCTO", &[], "approval.approve", a.id, None),
        2 * HOUR + 1,
    )
    .await
    .unwrap();
    let sent = r.delivered(2 * HOUR + 1).await;
    assert!(
        privately(&sent, "UCTO")[0].contains("already expired"),
        "{sent:?}"
    );
    assert_eq!(
        (r.approval(a.id).await.state, r.runs()),
        (ApprovalState::Expired, 0)
    );
}

#[tokio::test]
async fn a_failing_runbook_marks_the_card_failed_with_its_output() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone()), 1).await;
    let a = r.request("purge-cache", 0).await;
    r.p.handle(click("UCTO", &[], "approval.approve", a.id, None), 10)
        .await
        .unwrap();
    r.finished(a.id).await;
    let card = last_card(&r.delivered(10).await);
    assert!(
        card.starts_with("⚠️ Failed: runbook purge-cache")
            && card.contains("exit 2")
            && card.contains("cache: permission denied"),
        "{card}"
    );
    assert_eq!(r.approval(a.id).await.state, ApprovalState::Failed);
}

#[tokio::test]
async fn the_same_request_twice_is_one_request_and_ops_lists_and_audits_it() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone()), 1).await;
    let a = r.request("restart-api", 0).await;
    r.p.handle(ops("UDEV2", "runbook restart-api again please"), 1)
        .await
        .unwrap();
    r.p.handle(ops("UDEV", "runbook nope"), 2).await.unwrap();
    r.p.handle(ops("UDEV", "approvals"), 3).await.unwrap();
    r.p.handle(ops("UDEV", "audit 5"), 4).await.unwrap();
    let sent = r.delivered(4).await;
    let dev2 = privately(&sent, "UDEV2");
    assert!(
        dev2[0].contains(&format!("already waiting for sign-off: request #{}", a.id)),
        "{dev2:?}"
    );
    let dev = privately(&sent, "UDEV");
    assert!(
        dev[1].contains("No runbook named \"nope\". Known: purge-cache, restart-api."),
        "{dev:?}"
    );
    assert!(
        dev[2].contains(&format!("#{}", a.id))
            && dev[2].contains("pending")
            && dev[2].contains("0/1"),
        "{dev:?}"
    );
    assert!(dev[3].contains("approval.requested"), "{dev:?}");
    assert_eq!(r.p.store.approvals(&[], 10).await.unwrap().len(), 1);
    let _ = Reply::text("");
}

/// An approved webhook is POSTed once, with a body the receiver can verify by its HMAC signature.
#[tokio::test]
async fn an_approved_webhook_is_posted_once_and_signed() {
    use axum::{Router, body::Bytes, http::HeaderMap, routing::post};
    let got: Arc<std::sync::Mutex<Vec<(String, String)>>> = Arc::default();
    let seen = got.clone();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let seen = seen.clone();
            async move {
                let sig = headers
                    .get("x-opsdesk-signature")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                seen.lock()
                    .unwrap()
                    .push((sig, String::from_utf8_lossy(&body).into_owned()));
                "deploy queued"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let db = support::sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings(dir.path(), 1);
    // Any variable that is set serves as the secret; PATH always is, and setting one here would race
    // the other tests reading the environment.
    let hook = opsdesk::config::WebhookSettings {
        description: "deploy main".into(),
        url: format!("http://{addr}/hook"),
        secret_env: "PATH".into(),
        timeout_secs: 5,
    };
    s.webhooks.insert("deploy".into(), hook);
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let p = support::pipeline_with(store, s).await;
    p.handle(ops("UDEV", "webhook deploy ship the fix"), 0)
        .await
        .unwrap();
    let a = p
        .store
        .approvals(&[ApprovalState::Pending], 1)
        .await
        .unwrap()
        .remove(0);
    p.handle(click("UCTO", &[], "approval.approve", a.id, None), 1)
        .await
        .unwrap();
    let done = support::finished(&p, a.id).await;
    assert_eq!(done.state, ApprovalState::Executed, "{:?}", done.result);
    assert!(
        done.result.as_deref().unwrap().contains("HTTP 200")
            && done.result.as_deref().unwrap().contains("deploy queued")
    );
    let calls = got.lock().unwrap().clone();
    assert_eq!(calls.len(), 1, "posted once");
    let (sig, body) = &calls[0];
    let secret = std::env::var("PATH").unwrap();
    assert_eq!(
        *sig,
        opsdesk::exec::webhook::signature(secret.as_bytes(), body.as_bytes())
    );
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        (
            body["kind"].as_str(),
            body["params"]["name"].as_str(),
            body["approved_by"][0].as_str()
        ),
        (Some("webhook"), Some("deploy"), Some("slack:UCTO"))
    );
}
